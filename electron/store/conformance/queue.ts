/**
 * Conformance: the queue (SPEC §7) — submitting runs and resumes for workers, claiming
 * them exactly once, starting the claimed attempt, and re-queueing a dead worker's run
 * at most MAX_REQUEUES times.
 */
import { expect, it } from 'vitest';
import { applyRunEvents } from '../../../shared/run-reducer';
import { eventDerived } from '../../../shared/testing/replay-trace';
import { MAX_REQUEUES } from '../rules';
import type { CheckpointStore, Owner } from '../types';
import { OTHER, OWNER, PLAN, alive, aliveExcept, commit, dead, failedRun, newAttempt, newRun, started, startRun, succeeded, thrown, type Ctx, type GetCtx } from './fixtures';

const STALE_MS = 30_000;
const WORKER: Owner = { id: 'worker-1', pid: 42_001, host: 'host-w' };
const WORKER_2: Owner = { id: 'worker-2', pid: 42_002, host: 'host-w' };

const enqueue = (ctx: Ctx, id: string, source = `name: add-integration # ${id}\n`) => ctx.store.enqueueRun(newRun(id, { flowSource: source }), ctx.now());

/** Claims `runId` (the oldest queued) for `worker` and begins its next attempt, reusing `reused`. */
async function claimAndBegin(ctx: Ctx, worker: Owner, runId: string, reused: string[] = []) {
  const claim = await ctx.store.claimQueued(worker, ctx.now());
  expect(claim?.run.id).toBe(runId);
  return ctx.store.beginAttempt(runId, newAttempt(PLAN, reused, { flowSource: claim?.flowSource ?? '' }), worker, ctx.now(), alive);
}

export function queueSection(get: GetCtx): void {
  it('enqueueRun creates a queued run without an owner or attempt, and logs run.queued', async () => {
    const ctx = get();
    const { run, events } = await enqueue(ctx, 'run-1');
    const at = ctx.last();
    expect(run).toMatchObject({ id: 'run-1', status: 'queued', attempt: 0, owner: null, lastSeq: 1, finishedAt: null, flowFile: '/flows/add-integration.yaml', inputs: { service: 'redis' } });
    expect(events).toEqual([{ type: 'run.queued', runId: 'run-1', seq: 1, at, attempt: 0, flowName: 'add-integration' }]);
    expect(await ctx.store.eventsSince('run-1', 0, 10)).toEqual(events);
    expect(await ctx.store.getAttempts('run-1')).toEqual([]);
    expect(await ctx.store.getPhases('run-1')).toEqual([]);
    expect((await ctx.store.listRuns(10)).map((r) => [r.id, r.status])).toEqual([['run-1', 'queued']]);
    expect((await ctx.store.runsUpdatedSince(0)).map((r) => [r.id, r.lastSeq])).toEqual([['run-1', 1]]);
    expect((await thrown(() => enqueue(ctx, 'run-1'))).code).toBe('INTERNAL');
  });

  it('claimQueued hands out the oldest queued run first, with its definition, owned by the claimer', async () => {
    const ctx = get();
    await enqueue(ctx, 'run-b', 'name: b\n');
    await enqueue(ctx, 'run-a', 'name: a\n');
    const now = ctx.now();
    const first = await ctx.store.claimQueued(WORKER, now);
    expect(first).toMatchObject({ run: { id: 'run-b', status: 'running', attempt: 0, owner: { ...WORKER, heartbeatAt: now } }, flowSource: 'name: b\n', restartPhase: null });
    expect((await ctx.store.claimQueued(WORKER_2, ctx.now()))?.run.id).toBe('run-a');
    expect(await ctx.store.claimQueued(WORKER, ctx.now())).toBeUndefined();
    expect(await ctx.store.heartbeat('run-b', WORKER, ctx.now())).toBe(true);
    expect(await ctx.store.heartbeat('run-b', WORKER_2, ctx.now())).toBe(false);
  });

  it('the claimer begins attempt 1 (not resumed) and commits; no one else may begin it', async () => {
    const ctx = get();
    await enqueue(ctx, 'run-1');
    await ctx.store.claimQueued(WORKER, ctx.now());
    expect((await thrown(() => ctx.store.beginAttempt('run-1', newAttempt(PLAN, []), OTHER, ctx.now(), alive))).code).toBe('RUN_OWNED');
    const { run, events } = await ctx.store.beginAttempt('run-1', newAttempt(PLAN, []), WORKER, ctx.now(), alive);
    expect(run).toMatchObject({ status: 'running', attempt: 1, owner: { id: WORKER.id } });
    expect(events).toMatchObject([{ type: 'run.started', seq: 2, attempt: 1, resumed: false }]);
    expect((await ctx.store.getAttempts('run-1')).map((a) => [a.attempt, a.status, a.pid])).toEqual([[1, 'running', WORKER.pid]]);
    await commit(ctx, 'run-1', [started('research'), succeeded('research', 1, 'metrics')], WORKER);
    expect((await ctx.store.getPhases('run-1')).map((p) => p.status)).toEqual(['succeeded', 'pending', 'pending']);
  });

  it('enqueueResume queues a failed run with its definition and restart phase; the claimer begins attempt 2 reusing what succeeded', async () => {
    const ctx = get();
    await failedRun(ctx);
    const { run, events } = await ctx.store.enqueueResume('run-1', { restartPhase: 'code', flowSource: 'name: add-integration # edited\n' }, ctx.now());
    expect(run).toMatchObject({ status: 'queued', attempt: 1, owner: null, finishedAt: null, error: { code: 'PHASE_FAILED' } });
    expect(events).toMatchObject([{ type: 'run.queued', attempt: 1, flowName: 'add-integration' }]);
    expect((await thrown(() => ctx.store.beginAttempt('run-1', newAttempt(PLAN, ['research']), OWNER, ctx.now(), alive))).message).toContain('queued');
    const claim = await ctx.store.claimQueued(WORKER, ctx.now());
    expect(claim).toMatchObject({ flowSource: 'name: add-integration # edited\n', restartPhase: 'code' });
    const begun = await ctx.store.beginAttempt('run-1', newAttempt(PLAN, ['research'], { restartPhase: 'code' }), WORKER, ctx.now(), alive);
    expect(begun.events).toMatchObject([{ type: 'run.started', attempt: 2, resumed: true, reused: ['research'], outputs: { research: 'metrics: a, b' } }]);
    expect(begun.run).toMatchObject({ status: 'running', attempt: 2, error: null });
  });

  it('enqueueResume without a definition runs the last attempt\'s', async () => {
    const ctx = get();
    await failedRun(ctx);
    await ctx.store.enqueueResume('run-1', { restartPhase: null, flowSource: null }, ctx.now());
    expect(await ctx.store.claimQueued(WORKER, ctx.now())).toMatchObject({ flowSource: 'name: add-integration # v1\n', restartPhase: null });
  });

  it('enqueueResume refuses what resume refuses, changing nothing', async () => {
    const ctx = get();
    expect((await thrown(() => ctx.store.enqueueResume('nope', { restartPhase: null, flowSource: null }, ctx.now()))).code).toBe('RUN_NOT_FOUND');
    await startRun(ctx, 'running');
    expect((await thrown(() => ctx.store.enqueueResume('running', { restartPhase: null, flowSource: null }, ctx.now()))).code).toBe('RUN_OWNED');
    await startRun(ctx, 'done');
    await commit(ctx, 'done', [{ type: 'run.finished', attempt: 1, status: 'succeeded' }]);
    expect((await thrown(() => ctx.store.enqueueResume('done', { restartPhase: null, flowSource: null }, ctx.now()))).code).toBe('RUN_NOT_RESUMABLE');
    await enqueue(ctx, 'queued');
    const err = await thrown(() => ctx.store.enqueueResume('queued', { restartPhase: null, flowSource: null }, ctx.now()));
    expect(err.code).toBe('RUN_NOT_RESUMABLE');
    expect(err.message).toContain('queued');
    expect((await ctx.store.getRun('running'))?.status).toBe('running');
    expect((await ctx.store.eventsSince('queued', 0, 10)).length).toBe(1);
  });

  it('reaping a dead worker\'s run re-queues it as a resume; the next worker reuses what it completed', async () => {
    const ctx = get();
    await enqueue(ctx, 'run-1');
    await claimAndBegin(ctx, WORKER, 'run-1');
    await commit(ctx, 'run-1', [started('research'), succeeded('research', 1, 'metrics'), started('code')], WORKER);
    const now = ctx.now();
    const events = await ctx.store.reapOrphans(aliveExcept(WORKER.pid), now, STALE_MS);
    expect(events.map((e) => [e.type, e.seq])).toEqual([['phase.finished', 6], ['run.finished', 7], ['run.queued', 8]]);
    expect(events[2]).toEqual({ type: 'run.queued', runId: 'run-1', seq: 8, at: now, attempt: 1, flowName: 'add-integration', requeues: 1 });
    expect(await ctx.store.getRun('run-1')).toMatchObject({ status: 'queued', owner: null, finishedAt: null, error: { code: 'INTERRUPTED' } });
    expect((await ctx.store.getAttempts('run-1'))[0]).toMatchObject({ status: 'interrupted' });
    const claim = await ctx.store.claimQueued(WORKER_2, ctx.now());
    expect(claim).toMatchObject({ flowSource: 'name: add-integration # run-1\n', restartPhase: null });
    const begun = await ctx.store.beginAttempt('run-1', newAttempt(PLAN, ['research']), WORKER_2, ctx.now(), alive);
    expect(begun.events).toMatchObject([{ type: 'run.started', attempt: 2, resumed: true, reused: ['research'] }]);
  });

  it(`re-queues a run at most ${MAX_REQUEUES} times, then leaves it interrupted with the reason`, async () => {
    const ctx = get();
    await enqueue(ctx, 'run-1');
    for (let death = 1; death <= MAX_REQUEUES + 1; death += 1) {
      const worker = { ...WORKER, id: `worker-${death}` };
      await claimAndBegin(ctx, worker, 'run-1');
      const events = await ctx.store.reapOrphans(dead, ctx.now(), STALE_MS);
      const queued = events.filter((e) => e.type === 'run.queued');
      expect(queued.map((e) => (e.type === 'run.queued' ? e.requeues : null))).toEqual(death <= MAX_REQUEUES ? [death] : []);
    }
    const run = await ctx.store.getRun('run-1');
    expect(run).toMatchObject({ status: 'interrupted', attempt: MAX_REQUEUES + 1, owner: null });
    expect(run?.error?.message).toContain(`not re-queued: its worker already died ${MAX_REQUEUES} times`);
    expect(await ctx.store.claimQueued(WORKER, ctx.now())).toBeUndefined();
  });

  it('reaping never re-queues a run its owner started itself, nor one taken over by a direct resume', async () => {
    const ctx = get();
    await startRun(ctx, 'direct');
    await enqueue(ctx, 'taken');
    await claimAndBegin(ctx, WORKER, 'taken');
    // The worker died; a person resumes the run directly, and that process dies too.
    await ctx.store.beginAttempt('taken', newAttempt(PLAN, []), OTHER, ctx.now(), aliveExcept(WORKER.pid));
    const events = await ctx.store.reapOrphans(dead, ctx.now(), STALE_MS);
    expect(events.filter((e) => e.type === 'run.queued')).toEqual([]);
    expect((await ctx.store.getRun('direct'))?.status).toBe('interrupted');
    expect((await ctx.store.getRun('taken'))?.status).toBe('interrupted');
  });

  it('a claimed run whose worker died before beginning it is re-queued with its definition', async () => {
    const ctx = get();
    await enqueue(ctx, 'run-1');
    await ctx.store.claimQueued(WORKER, ctx.now());
    const events = await ctx.store.reapOrphans(dead, ctx.now(), STALE_MS);
    expect(events.map((e) => [e.type, 'attempt' in e ? e.attempt : null])).toEqual([['run.finished', 0], ['run.queued', 0]]);
    expect(await ctx.store.claimQueued(WORKER_2, ctx.now())).toMatchObject({ run: { attempt: 0 }, flowSource: 'name: add-integration # run-1\n' });
  });

  it('claimers racing, on this connection and another, claim every queued run exactly once', async () => {
    const ctx = get();
    const ids = Array.from({ length: 8 }, (_, i) => `run-${i}`);
    for (const id of ids) await enqueue(ctx, id);
    const second = (await ctx.connect?.()) ?? ctx.store;
    try {
      const claimers: [CheckpointStore, Owner][] = Array.from({ length: 12 }, (_, i) => [i % 2 === 0 ? ctx.store : second, { ...WORKER, id: `worker-${i}` }]);
      const claims = await Promise.all(claimers.map(async ([store, owner]) => ({ owner: owner.id, claim: await store.claimQueued(owner, ctx.now()) })));
      const won = claims.filter((c) => c.claim !== undefined);
      expect(won.map((c) => c.claim?.run.id).sort()).toEqual(ids);
      for (const { owner, claim } of won) expect((await ctx.store.getRun(claim?.run.id ?? ''))?.owner?.id).toBe(owner);
    } finally {
      if (second !== ctx.store) await second.close();
    }
  });

  it('a snapshot plus the events after it equals a fresh snapshot through queue, claim and re-queue', async () => {
    const ctx = get();
    await enqueue(ctx, 'run-1');
    const before = [{ run: await ctx.store.getRun('run-1'), phases: await ctx.store.getPhases('run-1') }];
    await claimAndBegin(ctx, WORKER, 'run-1');
    await commit(ctx, 'run-1', [started('research'), succeeded('research', 1, 'metrics')], WORKER);
    before.push({ run: await ctx.store.getRun('run-1'), phases: await ctx.store.getPhases('run-1') });
    await ctx.store.reapOrphans(dead, ctx.now(), STALE_MS);
    before.push({ run: await ctx.store.getRun('run-1'), phases: await ctx.store.getPhases('run-1') });
    const end = { run: await ctx.store.getRun('run-1'), phases: await ctx.store.getPhases('run-1') };
    expect(end.run?.status).toBe('queued');
    for (const snap of before) {
      if (!snap.run || !end.run) throw new Error('run missing');
      const replayed = applyRunEvents({ run: snap.run, phases: snap.phases }, await ctx.store.eventsSince('run-1', snap.run.lastSeq, 100));
      expect(eventDerived(replayed)).toEqual(eventDerived({ run: end.run, phases: end.phases }));
    }
  });
}
