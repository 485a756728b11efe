/** Conformance: leases — who may commit, heartbeats, and reaping runs whose owner is gone. */
import { expect, it } from 'vitest';
import { OTHER, OWNER, PLAN, alive, aliveExcept, commit, dead, newAttempt, newRun, snapshot, started, startRun, succeeded, thrown, type GetCtx } from './fixtures';

const STALE_MS = 30_000;

export function leaseSection(get: GetCtx): void {
  it('a commit by a process that does not own the run throws LEASE_LOST and changes nothing', async () => {
    const ctx = get();
    await startRun(ctx);
    const before = await snapshot(ctx.store, 'run-1');
    const err = await thrown(async () => await commit(ctx, 'run-1', [started('research')], OTHER));
    expect(err.code).toBe('LEASE_LOST');
    expect(err.message).toContain('run-1');
    expect(await snapshot(ctx.store, 'run-1')).toEqual(before);
  });

  it('a commit to a finished run throws LEASE_LOST, even by its last owner', async () => {
    const ctx = get();
    await startRun(ctx);
    await commit(ctx, 'run-1', [{ type: 'run.finished', attempt: 1, status: 'failed' }]);
    expect((await thrown(async () => await commit(ctx, 'run-1', [started('research')]))).code).toBe('LEASE_LOST');
  });

  it('a commit to an unknown run throws RUN_NOT_FOUND', async () => {
    const ctx = get();
    expect((await thrown(async () => await commit(ctx, 'nope', []))).code).toBe('RUN_NOT_FOUND');
  });

  it('heartbeat refreshes the owner\'s lease and is refused to anyone else or after the run ends', async () => {
    const ctx = get();
    await startRun(ctx);
    const beat = ctx.now();
    expect(await ctx.store.heartbeat('run-1', OWNER, beat)).toBe(true);
    expect((await ctx.store.getRun('run-1'))?.owner).toEqual({ id: OWNER.id, pid: OWNER.pid, host: OWNER.host, heartbeatAt: beat });
    expect(await ctx.store.heartbeat('run-1', OTHER, ctx.now())).toBe(false);
    expect((await ctx.store.getRun('run-1'))?.owner?.heartbeatAt).toBe(beat);
    expect(await ctx.store.heartbeat('nope', OWNER, ctx.now())).toBe(false);
    await commit(ctx, 'run-1', [{ type: 'run.finished', attempt: 1, status: 'succeeded' }]);
    expect(await ctx.store.heartbeat('run-1', OWNER, ctx.now())).toBe(false);
    expect((await ctx.store.getRun('run-1'))?.owner).toBeNull();
  });

  it('reapOrphans interrupts a run whose owner pid is dead, with its running phases, and emits the facts', async () => {
    const ctx = get();
    await startRun(ctx);
    const plan = [{ id: 'b', kind: 'agent', dependsOn: [], defHash: 'h-b' }, { id: 'a', kind: 'agent', dependsOn: [], defHash: 'h-a' }, { id: 'c', kind: 'agent', dependsOn: [], defHash: 'h-c' }];
    await ctx.store.createRun(newRun('run-2', { start: { flowName: 'f', phases: plan, reused: [], frontier: [] } }), OWNER, ctx.now());
    await commit(ctx, 'run-2', [started('c'), succeeded('c', 1, 'done'), started('b'), started('a')]);
    const startedAt = ctx.last();
    // The owners were last seen alive at: run-1, its creation; run-2, this heartbeat.
    const run1Seen = (await ctx.store.getRun('run-1'))?.updatedAt;
    const beat = ctx.now();
    await ctx.store.heartbeat('run-2', OWNER, beat);
    const now = ctx.now();
    const events = await ctx.store.reapOrphans(aliveExcept(OWNER.pid), now, STALE_MS);
    const message = `its process (pid ${OWNER.pid}) stopped without finishing the run (crash, kill or power loss)`;
    const runFinished = (runId: string, seq: number, endedAt: number | undefined) => ({ type: 'run.finished', runId, seq, at: now, attempt: 1, status: 'interrupted', error: { code: 'INTERRUPTED', message }, endedAt });
    expect(events).toEqual([
      runFinished('run-1', 2, run1Seen),
      { type: 'phase.finished', runId: 'run-2', seq: 6, at: now, phaseId: 'b', attempt: 1, status: 'interrupted', durationMs: beat - startedAt, endedAt: beat },
      { type: 'phase.finished', runId: 'run-2', seq: 7, at: now, phaseId: 'a', attempt: 1, status: 'interrupted', durationMs: beat - startedAt, endedAt: beat },
      runFinished('run-2', 8, beat),
    ]);
    expect(await ctx.store.eventsSince('run-2', 5, 100)).toEqual(events.slice(1));
    expect(await ctx.store.getRun('run-2')).toMatchObject({ status: 'interrupted', error: { code: 'INTERRUPTED' }, owner: null, finishedAt: beat, lastSeq: 8 });
    expect((await ctx.store.getPhases('run-2')).map((p) => [p.phaseId, p.status])).toEqual([['b', 'interrupted'], ['a', 'interrupted'], ['c', 'succeeded']]);
    expect((await ctx.store.getAttempts('run-2'))[0]).toMatchObject({ status: 'interrupted', error: { code: 'INTERRUPTED' }, finishedAt: beat });
    expect(await ctx.store.reapOrphans(dead, ctx.now(), STALE_MS)).toEqual([]);
  });

  it('reapOrphans leaves a live owner with a fresh heartbeat alone', async () => {
    const ctx = get();
    await startRun(ctx);
    await commit(ctx, 'run-1', [started('research')]);
    const before = await snapshot(ctx.store, 'run-1');
    expect(await ctx.store.reapOrphans(alive, ctx.now(), STALE_MS)).toEqual([]);
    expect(await snapshot(ctx.store, 'run-1')).toEqual(before);
    expect(await commit(ctx, 'run-1', [succeeded('research', 1, 'fine')])).toHaveLength(1);
  });

  it('reapOrphans interrupts a live pid whose heartbeat is older than staleMs (a reused pid)', async () => {
    const ctx = get();
    await startRun(ctx);
    const beat = ctx.now();
    await ctx.store.heartbeat('run-1', OWNER, beat);
    expect(await ctx.store.reapOrphans(alive, beat + STALE_MS, STALE_MS)).toEqual([]);
    const events = await ctx.store.reapOrphans(alive, beat + STALE_MS + 1, STALE_MS);
    expect(events.map((e) => [e.type, e.seq])).toEqual([['run.finished', 2]]);
    expect((await ctx.store.getRun('run-1'))?.status).toBe('interrupted');
  });

  it('asks the liveness probe about the owner\'s pid on the owner\'s host', async () => {
    const ctx = get();
    await startRun(ctx);
    await ctx.store.createRun(newRun('run-2'), OTHER, ctx.now());
    const asked: [number, string | null][] = [];
    const hostADown = (pid: number, host: string | null) => {
      asked.push([pid, host]);
      return host !== OWNER.host;
    };
    const events = await ctx.store.reapOrphans(hostADown, ctx.now(), STALE_MS);
    expect(asked).toEqual([[OWNER.pid, OWNER.host], [OTHER.pid, OTHER.host]]);
    expect(events.map((e) => e.runId)).toEqual(['run-1']);
    expect((await ctx.store.getRun('run-2'))?.owner).toMatchObject({ id: OTHER.id, pid: OTHER.pid, host: OTHER.host });
    asked.length = 0;
    const resumed = await ctx.store.beginAttempt('run-1', newAttempt(PLAN, []), OTHER, ctx.now(), hostADown);
    expect(asked).toEqual([]);
    expect(resumed.run.owner).toMatchObject({ id: OTHER.id, host: OTHER.host });
    expect((await thrown(async () => await ctx.store.beginAttempt('run-2', newAttempt(PLAN, []), OWNER, ctx.now(), hostADown))).code).toBe('RUN_OWNED');
    expect(asked).toEqual([[OTHER.pid, OTHER.host]]);
  });

  it('the owner of a reaped run loses its lease', async () => {
    const ctx = get();
    await startRun(ctx);
    await ctx.store.reapOrphans(dead, ctx.now(), STALE_MS);
    expect(await ctx.store.heartbeat('run-1', OWNER, ctx.now())).toBe(false);
    expect((await thrown(async () => await commit(ctx, 'run-1', [started('research')]))).code).toBe('LEASE_LOST');
  });

  it('reapOrphans ignores finished runs', async () => {
    const ctx = get();
    await startRun(ctx);
    await commit(ctx, 'run-1', [{ type: 'run.finished', attempt: 1, status: 'failed' }]);
    const before = await snapshot(ctx.store, 'run-1');
    expect(await ctx.store.reapOrphans(dead, ctx.now(), 0)).toEqual([]);
    expect(await snapshot(ctx.store, 'run-1')).toEqual(before);
  });
}
