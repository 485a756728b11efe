/** Conformance: beginAttempt (resume) and the verified phase results it relies on. */
import { expect, it } from 'vitest';
import type { PlannedPhase } from '../../../shared/events';
import { OTHER, OWNER, PLAN, alive, aliveExcept, commit, dead, failedRun, newAttempt, snapshot, started, startRun, succeeded, thrown, type GetCtx } from './fixtures';

const DOCS: PlannedPhase = { id: 'docs', kind: 'agent', dependsOn: ['code'], defHash: 'h-docs' };
const [RESEARCH, CODE] = PLAN as [PlannedPhase, PlannedPhase, PlannedPhase];

export function resumeSection(get: GetCtx): void {
  it('beginAttempt on an unknown run throws RUN_NOT_FOUND', () => {
    const ctx = get();
    expect(thrown(() => ctx.store.beginAttempt('nope', newAttempt(PLAN, []), OWNER, ctx.now(), alive)).code).toBe('RUN_NOT_FOUND');
  });

  it('beginAttempt on a succeeded run throws RUN_NOT_RESUMABLE and changes nothing', () => {
    const ctx = get();
    startRun(ctx);
    commit(ctx, 'run-1', [{ type: 'run.finished', attempt: 1, status: 'succeeded' }]);
    const before = snapshot(ctx.store, 'run-1');
    const err = thrown(() => ctx.store.beginAttempt('run-1', newAttempt(PLAN, []), OTHER, ctx.now(), alive));
    expect(err.code).toBe('RUN_NOT_RESUMABLE');
    expect(err.message).toContain('already succeeded');
    expect(snapshot(ctx.store, 'run-1')).toEqual(before);
  });

  it('beginAttempt on a run whose owner is alive throws RUN_OWNED naming the pid, however old its heartbeat', () => {
    const ctx = get();
    startRun(ctx);
    commit(ctx, 'run-1', [started('research')]);
    const before = snapshot(ctx.store, 'run-1');
    const err = thrown(() => ctx.store.beginAttempt('run-1', newAttempt(PLAN, []), OTHER, ctx.now() + 10 * 60_000, alive));
    expect(err.code).toBe('RUN_OWNED');
    expect(err.message).toContain(`owned by pid ${OWNER.pid}`);
    expect(snapshot(ctx.store, 'run-1')).toEqual(before);
  });

  it('beginAttempt on a run whose owner died reaps it first, then resumes it', () => {
    const ctx = get();
    startRun(ctx);
    commit(ctx, 'run-1', [started('research'), succeeded('research', 1, 'kept'), started('code')]);
    const now = ctx.now();
    const { run, events } = ctx.store.beginAttempt('run-1', newAttempt(PLAN, ['research']), OTHER, now, aliveExcept(OWNER.pid));
    expect(events.map((e) => [e.seq, e.type, 'status' in e ? e.status : null])).toEqual([[5, 'phase.finished', 'interrupted'], [6, 'run.finished', 'interrupted'], [7, 'run.started', null]]);
    expect(events[0]).toMatchObject({ phaseId: 'code', attempt: 1 });
    expect(events[2]).toMatchObject({ attempt: 2, resumed: true, reused: ['research'] });
    expect(events[1]).toMatchObject({ error: { code: 'INTERRUPTED' } });
    expect(run).toMatchObject({ status: 'running', attempt: 2, lastSeq: 7, owner: { id: OTHER.id, pid: OTHER.pid, heartbeatAt: now } });
    expect(ctx.store.getAttempts('run-1').map((a) => [a.attempt, a.status, a.error?.code ?? null, a.pid])).toEqual([[1, 'interrupted', 'INTERRUPTED', OWNER.pid], [2, 'running', null, OTHER.pid]]);
    expect(ctx.store.eventsSince('run-1', 4, 100)).toEqual(events.map((e) => ({ ...e })));
  });

  it('beginAttempt starts a new attempt: reused phases keep their output, others pend, dropped phases go', () => {
    const ctx = get();
    failedRun(ctx);
    const lastSeq = ctx.store.getRun('run-1')?.lastSeq ?? 0;
    const plan = [RESEARCH, CODE, DOCS];
    const init = newAttempt(plan, ['research'], { flowName: 'renamed', flowFile: '/flows/renamed.yaml' });
    const now = ctx.now();
    const { run, events } = ctx.store.beginAttempt('run-1', init, OTHER, now, dead);
    expect(run).toMatchObject({ status: 'running', attempt: 2, error: null, finishedAt: null, updatedAt: now, lastSeq: lastSeq + 1, flowName: 'renamed', flowFile: '/flows/renamed.yaml', owner: { id: OTHER.id, pid: OTHER.pid, heartbeatAt: now }, usage: { inputTokens: 10, outputTokens: 3 } });
    expect(ctx.store.getRun('run-1')).toEqual(run);
    expect(events).toEqual([{ type: 'run.started', runId: 'run-1', seq: lastSeq + 1, at: now, attempt: 2, resumed: true, ...init.start }]);
    expect(ctx.store.getPhases('run-1').map((p) => [p.phaseId, p.position, p.status, p.attempts, p.output, p.error])).toEqual([
      ['research', 0, 'succeeded', 1, 'metrics: a, b', null],
      ['code', 1, 'pending', 1, null, null],
      ['docs', 2, 'pending', 0, null, null],
    ]);
    expect([...ctx.store.getPhaseResults('run-1').keys()]).toEqual(['research']);
  });

  it('getAttempts keeps every attempt with the flow source it ran with', () => {
    const ctx = get();
    failedRun(ctx);
    const init = newAttempt([RESEARCH, CODE, DOCS], [], { restartPhase: 'research' });
    const now = ctx.now();
    ctx.store.beginAttempt('run-1', init, OTHER, now, dead);
    const [first, second] = ctx.store.getAttempts('run-1');
    expect(first).toMatchObject({ attempt: 1, flowSource: 'name: add-integration # v1\n', status: 'failed', error: { code: 'PHASE_FAILED' }, pid: OWNER.pid, restartPhase: null, usage: { inputTokens: 10, outputTokens: 3 } });
    expect(second).toEqual({ runId: 'run-1', attempt: 2, flowSource: init.flowSource, startedAt: now, finishedAt: null, status: 'running', error: null, pid: OTHER.pid, restartPhase: 'research', usage: { inputTokens: 0, outputTokens: 0 } });
    expect(ctx.store.getPhases('run-1')[0]).toMatchObject({ phaseId: 'research', status: 'pending', output: null });
  });

  it('the new owner commits the new attempt; the old owner is locked out', () => {
    const ctx = get();
    failedRun(ctx);
    ctx.store.beginAttempt('run-1', newAttempt(PLAN, ['research']), OTHER, ctx.now(), dead);
    expect(thrown(() => commit(ctx, 'run-1', [started('code', 2, 2)])).code).toBe('LEASE_LOST');
    commit(ctx, 'run-1', [started('code', 2, 2), succeeded('code', 2, 'fixed')], OTHER);
    expect(ctx.store.getPhases('run-1')[1]).toMatchObject({ status: 'succeeded', attempts: 2, output: 'fixed' });
    expect(ctx.store.getPhaseResults('run-1').get('code')).toMatchObject({ attempt: 2, defHash: 'h-code' });
  });

  for (const status of ['interrupted', 'cancelled'] as const) {
    it(`a ${status} run can be resumed`, () => {
      const ctx = get();
      startRun(ctx);
      commit(ctx, 'run-1', [{ type: 'run.finished', attempt: 1, status }]);
      expect(ctx.store.beginAttempt('run-1', newAttempt(PLAN, []), OWNER, ctx.now(), alive).run).toMatchObject({ status: 'running', attempt: 2 });
    });
  }

  it('a phase dropped from the plan and later restored keeps counting its tries', () => {
    const ctx = get();
    failedRun(ctx);
    ctx.store.beginAttempt('run-1', newAttempt([RESEARCH], ['research']), OTHER, ctx.now(), dead);
    expect(ctx.store.getPhases('run-1').map((p) => p.phaseId)).toEqual(['research']);
    commit(ctx, 'run-1', [{ type: 'run.finished', attempt: 2, status: 'failed' }], OTHER);
    ctx.store.beginAttempt('run-1', newAttempt(PLAN, ['research']), OWNER, ctx.now(), dead);
    expect(ctx.store.getPhases('run-1').map((p) => [p.phaseId, p.status, p.attempts])).toEqual([['research', 'succeeded', 1], ['code', 'pending', 1], ['test', 'pending', 0]]);
    expect(thrown(() => commit(ctx, 'run-1', [started('code', 1, 3)])).message).toContain('started try 1 twice');
    commit(ctx, 'run-1', [started('code', 2, 3)]);
    expect(ctx.store.getPhases('run-1')[1]).toMatchObject({ status: 'running', attempts: 2 });
  });

  it('getPhaseResults refuses a damaged output with CHECKPOINT_CORRUPT naming run, phase and remedy', () => {
    const ctx = get();
    failedRun(ctx);
    ctx.corrupt('run-1', 'research');
    const err = thrown(() => ctx.store.getPhaseResults('run-1'));
    expect(err.code).toBe('CHECKPOINT_CORRUPT');
    expect(err.message).toContain('run run-1');
    expect(err.message).toContain('phase "research"');
    expect(err.message).toContain('waymark resume run-1 --restart-phase research');
    expect(err.where).toEqual({ phaseId: 'research' });
    expect(thrown(() => ctx.store.getPhaseResults('run-1', new Set(['code']))).code).toBe('CHECKPOINT_CORRUPT');
    expect(() => ctx.store.getPhases('run-1')).not.toThrow();
  });

  it('getPhaseResults skips verifying the phases in skipVerify', () => {
    const ctx = get();
    failedRun(ctx);
    ctx.corrupt('run-1', 'research');
    const results = ctx.store.getPhaseResults('run-1', new Set(['research']));
    expect([...results.keys()]).toEqual(['research']);
    expect(results.get('research')?.output).not.toBe('metrics: a, b');
  });
}
