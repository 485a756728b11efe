/** Conformance: beginAttempt (resume) and the verified phase results it relies on. */
import { expect, it } from 'vitest';
import type { PlannedPhase } from '../../../shared/events';
import { MODEL_ERROR, OTHER, OWNER, PLAN, alive, aliveExcept, commit, dead, failed, failedRun, newAttempt, snapshot, started, startRun, succeeded, thrown, type GetCtx } from './fixtures';
import { emptyTotals } from '../../../shared/usage';

const DOCS: PlannedPhase = { id: 'docs', kind: 'agent', dependsOn: ['code'], defHash: 'h-docs' };
const [RESEARCH, CODE] = PLAN as [PlannedPhase, PlannedPhase, PlannedPhase];

export function resumeSection(get: GetCtx): void {
  it('beginAttempt on an unknown run throws RUN_NOT_FOUND', async () => {
    const ctx = get();
    expect((await thrown(async () => await ctx.store.beginAttempt('nope', newAttempt(PLAN, []), OWNER, ctx.now(), alive))).code).toBe('RUN_NOT_FOUND');
  });

  it('beginAttempt on a succeeded run throws RUN_NOT_RESUMABLE and changes nothing', async () => {
    const ctx = get();
    await startRun(ctx);
    await commit(ctx, 'run-1', [{ type: 'run.finished', attempt: 1, status: 'succeeded' }]);
    const before = await snapshot(ctx.store, 'run-1');
    const err = await thrown(async () => await ctx.store.beginAttempt('run-1', newAttempt(PLAN, []), OTHER, ctx.now(), alive));
    expect(err.code).toBe('RUN_NOT_RESUMABLE');
    expect(err.message).toContain('already succeeded');
    expect(await snapshot(ctx.store, 'run-1')).toEqual(before);
  });

  it('beginAttempt on a run whose owner is alive throws RUN_OWNED naming the pid, however old its heartbeat', async () => {
    const ctx = get();
    await startRun(ctx);
    await commit(ctx, 'run-1', [started('research')]);
    const before = await snapshot(ctx.store, 'run-1');
    const err = await thrown(async () => await ctx.store.beginAttempt('run-1', newAttempt(PLAN, []), OTHER, ctx.now() + 10 * 60_000, alive));
    expect(err.code).toBe('RUN_OWNED');
    expect(err.message).toContain(`owned by pid ${OWNER.pid}`);
    expect(await snapshot(ctx.store, 'run-1')).toEqual(before);
  });

  it('beginAttempt on a run whose owner died reaps it first, then resumes it', async () => {
    const ctx = get();
    await startRun(ctx);
    await commit(ctx, 'run-1', [started('research'), succeeded('research', 1, 'kept'), started('code')]);
    const now = ctx.now();
    const { run, events } = await ctx.store.beginAttempt('run-1', newAttempt(PLAN, ['research']), OTHER, now, aliveExcept(OWNER.pid));
    expect(events.map((e) => [e.seq, e.type, 'status' in e ? e.status : null])).toEqual([[5, 'phase.finished', 'interrupted'], [6, 'run.finished', 'interrupted'], [7, 'run.started', null]]);
    expect(events[0]).toMatchObject({ phaseId: 'code', attempt: 1 });
    expect(events[2]).toMatchObject({ attempt: 2, resumed: true, reused: ['research'] });
    expect(events[1]).toMatchObject({ error: { code: 'INTERRUPTED' } });
    expect(run).toMatchObject({ status: 'running', attempt: 2, lastSeq: 7, owner: { id: OTHER.id, pid: OTHER.pid, heartbeatAt: now } });
    expect((await ctx.store.getAttempts('run-1')).map((a) => [a.attempt, a.status, a.error?.code ?? null, a.pid])).toEqual([[1, 'interrupted', 'INTERRUPTED', OWNER.pid], [2, 'running', null, OTHER.pid]]);
    expect(await ctx.store.eventsSince('run-1', 4, 100)).toEqual(events.map((e) => ({ ...e })));
  });

  it('beginAttempt starts a new attempt: reused phases keep their output, others pend, dropped phases go', async () => {
    const ctx = get();
    await failedRun(ctx);
    const lastSeq = (await ctx.store.getRun('run-1'))?.lastSeq ?? 0;
    const plan = [RESEARCH, CODE, DOCS];
    const init = newAttempt(plan, ['research'], { flowName: 'renamed', flowFile: '/flows/renamed.yaml' });
    const now = ctx.now();
    const { run, events } = await ctx.store.beginAttempt('run-1', init, OTHER, now, dead);
    expect(run).toMatchObject({ status: 'running', attempt: 2, error: null, finishedAt: null, updatedAt: now, lastSeq: lastSeq + 1, flowName: 'renamed', flowFile: '/flows/renamed.yaml', owner: { id: OTHER.id, pid: OTHER.pid, heartbeatAt: now }, usage: { inputTokens: 10, outputTokens: 3 } });
    expect(await ctx.store.getRun('run-1')).toEqual(run);
    // The store adds the saved outputs of the reused phases: a client may not have seen them.
    expect(events).toEqual([{ type: 'run.started', runId: 'run-1', seq: lastSeq + 1, at: now, attempt: 2, resumed: true, ...init.start, outputs: { research: 'metrics: a, b' } }]);
    expect(await ctx.store.eventsSince('run-1', lastSeq, 100)).toEqual(events);
    expect((await ctx.store.getPhases('run-1')).map((p) => [p.phaseId, p.position, p.status, p.attempts, p.output, p.error])).toEqual([
      ['research', 0, 'succeeded', 1, 'metrics: a, b', null],
      ['code', 1, 'pending', 1, null, null],
      ['docs', 2, 'pending', 0, null, null],
    ]);
    expect([...(await ctx.store.getPhaseResults('run-1')).keys()]).toEqual(['research']);
  });

  it('getAttempts keeps every attempt with the flow source it ran with', async () => {
    const ctx = get();
    await failedRun(ctx);
    const init = newAttempt([RESEARCH, CODE, DOCS], [], { restartPhase: 'research' });
    const now = ctx.now();
    await ctx.store.beginAttempt('run-1', init, OTHER, now, dead);
    const [first, second] = await ctx.store.getAttempts('run-1');
    expect(first).toMatchObject({ attempt: 1, flowSource: 'name: add-integration # v1\n', status: 'failed', error: { code: 'PHASE_FAILED' }, pid: OWNER.pid, restartPhase: null, usage: { inputTokens: 10, outputTokens: 3 } });
    expect(second).toEqual({ runId: 'run-1', attempt: 2, flowSource: init.flowSource, startedAt: now, finishedAt: null, status: 'running', error: null, pid: OTHER.pid, restartPhase: 'research', usage: emptyTotals(), budget: null });
    expect((await ctx.store.getPhases('run-1'))[0]).toMatchObject({ phaseId: 'research', status: 'pending', output: null });
  });

  it('the new owner commits the new attempt; the old owner is locked out', async () => {
    const ctx = get();
    await failedRun(ctx);
    await ctx.store.beginAttempt('run-1', newAttempt(PLAN, ['research']), OTHER, ctx.now(), dead);
    expect((await thrown(async () => await commit(ctx, 'run-1', [started('code', 2, 2)]))).code).toBe('LEASE_LOST');
    await commit(ctx, 'run-1', [started('code', 2, 2), succeeded('code', 2, 'fixed')], OTHER);
    expect((await ctx.store.getPhases('run-1'))[1]).toMatchObject({ status: 'succeeded', attempts: 2, output: 'fixed' });
    expect((await ctx.store.getPhaseResults('run-1')).get('code')).toMatchObject({ attempt: 2, defHash: 'h-code' });
  });

  for (const status of ['interrupted', 'cancelled'] as const) {
    it(`a ${status} run can be resumed`, async () => {
      const ctx = get();
      await startRun(ctx);
      await commit(ctx, 'run-1', [{ type: 'run.finished', attempt: 1, status }]);
      expect((await ctx.store.beginAttempt('run-1', newAttempt(PLAN, []), OWNER, ctx.now(), alive)).run).toMatchObject({ status: 'running', attempt: 2 });
    });
  }

  it('a phase dropped from the plan and later restored keeps counting its tries', async () => {
    const ctx = get();
    await failedRun(ctx);
    await ctx.store.beginAttempt('run-1', newAttempt([RESEARCH], ['research']), OTHER, ctx.now(), dead);
    expect((await ctx.store.getPhases('run-1')).map((p) => p.phaseId)).toEqual(['research']);
    await commit(ctx, 'run-1', [{ type: 'run.finished', attempt: 2, status: 'failed' }], OTHER);
    await ctx.store.beginAttempt('run-1', newAttempt(PLAN, ['research']), OWNER, ctx.now(), dead);
    expect((await ctx.store.getPhases('run-1')).map((p) => [p.phaseId, p.status, p.attempts])).toEqual([['research', 'succeeded', 1], ['code', 'pending', 1], ['test', 'pending', 0]]);
    expect((await thrown(async () => await commit(ctx, 'run-1', [started('code', 1, 3)]))).message).toContain('started try 1 twice');
    await commit(ctx, 'run-1', [started('code', 2, 3)]);
    expect((await ctx.store.getPhases('run-1'))[1]).toMatchObject({ status: 'running', attempts: 2 });
  });

  it('a phase back in the plan starts afresh but for its try count, which its run.started carries', async () => {
    const ctx = get();
    await startRun(ctx);
    await commit(ctx, 'run-1', [started('research'), failed('research', 1, MODEL_ERROR, { exitCode: 2, stderrTail: 'boom' }), { type: 'run.finished', attempt: 1, status: 'failed' }]);
    await ctx.store.beginAttempt('run-1', newAttempt([CODE], []), OTHER, ctx.now(), dead);
    await commit(ctx, 'run-1', [{ type: 'run.finished', attempt: 2, status: 'failed' }], OTHER);
    const { events } = await ctx.store.beginAttempt('run-1', newAttempt(PLAN, []), OWNER, ctx.now(), dead);
    expect(events[0]).toMatchObject({ type: 'run.started', triesBefore: { research: 1 } });
    expect(events[0]).not.toHaveProperty('outputs');
    expect((await ctx.store.getPhases('run-1'))[0]).toEqual({
      runId: 'run-1', phaseId: 'research', position: 0, kind: 'agent', dependsOn: [], defHash: 'h-research', status: 'pending', attempts: 1, error: null,
      startedAt: null, finishedAt: null, exitCode: null, output: null, stdoutTail: null, stderrTail: null, waiting: null, decision: null, usage: emptyTotals(),
    });
  });

  it('getPhaseResults refuses a damaged output with CHECKPOINT_CORRUPT naming run, phase and remedy', async () => {
    const ctx = get();
    await failedRun(ctx);
    ctx.corrupt('run-1', 'research');
    const err = await thrown(async () => await ctx.store.getPhaseResults('run-1'));
    expect(err.code).toBe('CHECKPOINT_CORRUPT');
    expect(err.message).toContain('run run-1');
    expect(err.message).toContain('phase "research"');
    expect(err.message).toContain('waymark resume run-1 --restart-phase research');
    expect(err.where).toEqual({ phaseId: 'research' });
    expect((await thrown(async () => await ctx.store.getPhaseResults('run-1', new Set(['code'])))).code).toBe('CHECKPOINT_CORRUPT');
    await expect(ctx.store.getPhases('run-1')).resolves.toBeDefined();
  });

  it('getPhaseResults skips verifying the phases in skipVerify', async () => {
    const ctx = get();
    await failedRun(ctx);
    ctx.corrupt('run-1', 'research');
    const results = await ctx.store.getPhaseResults('run-1', new Set(['research']));
    expect([...results.keys()]).toEqual(['research']);
    expect(results.get('research')?.output).not.toBe('metrics: a, b');
  });
}
