/** Conformance: creating runs and reading them back (runs list, change feed, copies). */
import { expect, it } from 'vitest';
import type { RunRecord } from '../../../shared/records';
import { cursorOf, type RunsCursor } from '../../../shared/runs-page';
import { OWNER, PLAN, commit, failedRun, newRun, snapshot, started, startRun, thrown, type GetCtx } from './fixtures';
import { emptyTotals } from '../../../shared/usage';

export function runSection(get: GetCtx): void {
  it('createRun starts attempt 1, running, owned, with run.started as seq 1', async () => {
    const ctx = get();
    const { run, events } = await startRun(ctx);
    const at = ctx.last();
    expect(run).toEqual({
      id: 'run-1', flowName: 'add-integration', flowFile: '/flows/add-integration.yaml', status: 'running', inputs: { service: 'redis' },
      error: null, createdAt: at, updatedAt: at, finishedAt: null, attempt: 1, lastSeq: 1,
      owner: { id: OWNER.id, pid: OWNER.pid, host: OWNER.host, heartbeatAt: at }, waitingFor: null, usage: emptyTotals(),
      rerunOf: null, activeMs: 0, attemptStartedAt: at,
    });
    expect(events).toEqual([
      { type: 'run.started', runId: 'run-1', seq: 1, at, attempt: 1, resumed: false, flowName: 'add-integration', phases: PLAN, reused: [], frontier: ['research'] },
    ]);
    expect(await ctx.store.eventsSince('run-1', 0, 100)).toEqual(events);
    expect(await ctx.store.getRun('run-1')).toEqual(run);
  });

  it('createRun plans the phases pending, in the given order, with kind, dependencies and hash', async () => {
    const ctx = get();
    const order = [PLAN[0], { id: 'zeta', kind: 'command', dependsOn: [], defHash: 'h-zeta' }, { id: 'alpha', kind: 'agent', dependsOn: ['zeta', 'research'], defHash: 'h-alpha' }];
    await startRun(ctx, 'run-1', { start: { flowName: 'f', phases: order as typeof PLAN, reused: [], frontier: [] } });
    const phases = await ctx.store.getPhases('run-1');
    expect(phases.map((p) => [p.phaseId, p.position, p.kind, p.dependsOn, p.defHash])).toEqual([
      ['research', 0, 'agent', [], 'h-research'],
      ['zeta', 1, 'command', [], 'h-zeta'],
      ['alpha', 2, 'agent', ['zeta', 'research'], 'h-alpha'],
    ]);
    for (const p of phases) {
      expect(p).toMatchObject({ runId: 'run-1', status: 'pending', attempts: 0, error: null, startedAt: null, finishedAt: null, exitCode: null, output: null, stdoutTail: null, stderrTail: null, usage: emptyTotals() });
    }
  });

  it('createRun records attempt 1 with the flow source it ran with', async () => {
    const ctx = get();
    await startRun(ctx);
    expect(await ctx.store.getAttempts('run-1')).toEqual([
      { runId: 'run-1', attempt: 1, flowSource: 'name: add-integration # v1\n', startedAt: ctx.last(), finishedAt: null, status: 'running', error: null, pid: OWNER.pid, restartPhase: null, usage: emptyTotals(), budget: null },
    ]);
  });

  it('createRun with an existing id throws and leaves that run alone', async () => {
    const ctx = get();
    await startRun(ctx);
    const before = await snapshot(ctx.store, 'run-1');
    expect((await thrown(async () => await ctx.store.createRun(newRun('run-1', { flowName: 'other' }), OWNER, ctx.now()))).message).toMatch(/run-1 already exists/);
    expect(await snapshot(ctx.store, 'run-1')).toEqual(before);
  });

  it('reads of an unknown run are empty, not errors', async () => {
    const { store } = get();
    expect(await store.getRun('nope')).toBeUndefined();
    expect(await store.getPhases('nope')).toEqual([]);
    expect(await store.getAttempts('nope')).toEqual([]);
    expect(await store.eventsSince('nope', 0, 10)).toEqual([]);
    expect(await store.readTranscript('nope', 'code', 0, 10)).toEqual([]);
    expect((await store.getPhaseResults('nope')).size).toBe(0);
  });

  it('listRuns returns the newest first, up to the limit, ties broken by id descending', async () => {
    const ctx = get();
    for (const id of ['run-a', 'run-b', 'run-c']) await startRun(ctx, id);
    const same = ctx.now();
    await ctx.store.createRun(newRun('run-e'), OWNER, same);
    await ctx.store.createRun(newRun('run-d'), OWNER, same);
    expect((await ctx.store.listRuns(10)).map((r) => r.id)).toEqual(['run-e', 'run-d', 'run-c', 'run-b', 'run-a']);
    expect((await ctx.store.listRuns(2)).map((r) => r.id)).toEqual(['run-e', 'run-d']);
    expect(await ctx.store.listRuns(0)).toEqual([]);
    expect((await ctx.store.listRuns(1))[0]).toEqual(await ctx.store.getRun('run-e'));
  });

  it('listRuns filters by status before the limit, and MAX_SAFE_INTEGER lists all', async () => {
    const ctx = get();
    for (const id of ['run-a', 'run-b', 'run-c']) await failedRun(ctx, id);
    for (const id of ['run-d', 'run-e']) await startRun(ctx, id);
    expect((await ctx.store.listRuns(2, 'failed')).map((r) => r.id)).toEqual(['run-c', 'run-b']);
    expect((await ctx.store.listRuns(10, 'running')).map((r) => r.id)).toEqual(['run-e', 'run-d']);
    expect(await ctx.store.listRuns(10, 'cancelled')).toEqual([]);
    expect((await ctx.store.listRuns(Number.MAX_SAFE_INTEGER)).map((r) => r.id)).toEqual(['run-e', 'run-d', 'run-c', 'run-b', 'run-a']);
  });

  it('listRuns pages from a cursor through runs created at the same instant, with no gap or repeat', async () => {
    const ctx = get();
    await startRun(ctx, 'run-old');
    const same = ctx.now();
    for (const id of ['run-d', 'run-a', 'run-g', 'run-c', 'run-f', 'run-b', 'run-e']) await ctx.store.createRun(newRun(id), OWNER, same);
    await startRun(ctx, 'run-new');
    const seen: string[] = [];
    const pages: number[] = [];
    let before: RunsCursor | undefined;
    // Bounded: a cursor that repeats a run would page for ever.
    while (pages.length < 6) {
      const page = await ctx.store.listRuns(3, undefined, before);
      seen.push(...page.map((r) => r.id));
      pages.push(page.length);
      const last = page[page.length - 1];
      if (!last) break;
      before = cursorOf(last);
      // Runs created while the list is paged come before the first page, not into the next.
      if (seen.length === 3) await startRun(ctx, 'run-newer');
    }
    expect(seen).toEqual(['run-new', 'run-g', 'run-f', 'run-e', 'run-d', 'run-c', 'run-b', 'run-a', 'run-old']);
    expect(pages).toEqual([3, 3, 3, 0]);
    expect((await ctx.store.listRuns(2, undefined, { createdAt: same, id: 'run-c' })).map((r) => r.id)).toEqual(['run-b', 'run-a']);
    expect((await ctx.store.listRuns(10, undefined, { createdAt: same + 1, id: '' })).map((r) => r.id)).toEqual(['run-g', 'run-f', 'run-e', 'run-d', 'run-c', 'run-b', 'run-a', 'run-old']);
  });

  it('listRuns pages with a cursor and a status together', async () => {
    const ctx = get();
    for (const id of ['run-a', 'run-b', 'run-c', 'run-d']) await failedRun(ctx, id);
    await startRun(ctx, 'run-e');
    const first = await ctx.store.listRuns(2, 'failed');
    expect(first.map((r) => r.id)).toEqual(['run-d', 'run-c']);
    const second = await ctx.store.listRuns(2, 'failed', cursorOf(first[1] as RunRecord));
    expect(second.map((r) => r.id)).toEqual(['run-b', 'run-a']);
    expect(await ctx.store.listRuns(2, 'failed', cursorOf(second[1] as RunRecord))).toEqual([]);
    expect(await ctx.store.listRuns(2, 'running', cursorOf(second[1] as RunRecord))).toEqual([]);
    expect((await ctx.store.listRuns(1, 'running', cursorOf(first[0] as RunRecord))).map((r) => r.id)).toEqual([]);
    expect((await ctx.store.listRuns(5, 'running', { createdAt: Number.MAX_SAFE_INTEGER, id: '' })).map((r) => r.id)).toEqual(['run-e']);
  });

  it('runsUpdatedSince lists runs touched after a time, oldest change first, with their last seq', async () => {
    const ctx = get();
    await startRun(ctx, 'run-a');
    await startRun(ctx, 'run-b');
    const mark = ctx.last();
    expect(await ctx.store.runsUpdatedSince(mark)).toEqual([]);
    await commit(ctx, 'run-a', [started('research')]);
    const touched = ctx.last();
    expect(await ctx.store.runsUpdatedSince(mark)).toEqual([{ id: 'run-a', lastSeq: 2, updatedAt: touched }]);
    expect((await ctx.store.runsUpdatedSince(0)).map((r) => r.id)).toEqual(['run-b', 'run-a']);
  });

  it('a heartbeat does not count as an update', async () => {
    const ctx = get();
    await startRun(ctx);
    const mark = ctx.last();
    expect(await ctx.store.heartbeat('run-1', OWNER, ctx.now())).toBe(true);
    expect(await ctx.store.runsUpdatedSince(mark)).toEqual([]);
  });

  it('records handed out are copies: mutating them changes nothing stored', async () => {
    const ctx = get();
    await startRun(ctx);
    const before = await snapshot(ctx.store, 'run-1');
    const run = await ctx.store.getRun('run-1');
    if (run) Object.assign(run, { status: 'failed', inputs: { service: 'x' } });
    const [phase] = await ctx.store.getPhases('run-1');
    if (phase) phase.dependsOn.push('hacked');
    const [event] = await ctx.store.eventsSince('run-1', 0, 1);
    if (event?.type === 'run.started') event.phases.pop();
    expect(await snapshot(ctx.store, 'run-1')).toEqual(before);
  });
}
