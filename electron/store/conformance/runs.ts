/** Conformance: creating runs and reading them back (runs list, change feed, copies). */
import { expect, it } from 'vitest';
import { OWNER, PLAN, commit, newRun, snapshot, started, startRun, thrown, type GetCtx } from './fixtures';

export function runSection(get: GetCtx): void {
  it('createRun starts attempt 1, running, owned, with run.started as seq 1', () => {
    const ctx = get();
    const { run, events } = startRun(ctx);
    const at = ctx.last();
    expect(run).toEqual({
      id: 'run-1', flowName: 'add-integration', flowFile: '/flows/add-integration.yaml', status: 'running', inputs: { service: 'redis' },
      error: null, createdAt: at, updatedAt: at, finishedAt: null, attempt: 1, lastSeq: 1,
      owner: { id: OWNER.id, pid: OWNER.pid, host: OWNER.host, heartbeatAt: at }, usage: { inputTokens: 0, outputTokens: 0 },
    });
    expect(events).toEqual([
      { type: 'run.started', runId: 'run-1', seq: 1, at, attempt: 1, resumed: false, flowName: 'add-integration', phases: PLAN, reused: [], frontier: ['research'] },
    ]);
    expect(ctx.store.eventsSince('run-1', 0, 100)).toEqual(events);
    expect(ctx.store.getRun('run-1')).toEqual(run);
  });

  it('createRun plans the phases pending, in the given order, with kind, dependencies and hash', () => {
    const ctx = get();
    const order = [PLAN[0], { id: 'zeta', kind: 'command', dependsOn: [], defHash: 'h-zeta' }, { id: 'alpha', kind: 'agent', dependsOn: ['zeta', 'research'], defHash: 'h-alpha' }];
    startRun(ctx, 'run-1', { start: { flowName: 'f', phases: order as typeof PLAN, reused: [], frontier: [] } });
    const phases = ctx.store.getPhases('run-1');
    expect(phases.map((p) => [p.phaseId, p.position, p.kind, p.dependsOn, p.defHash])).toEqual([
      ['research', 0, 'agent', [], 'h-research'],
      ['zeta', 1, 'command', [], 'h-zeta'],
      ['alpha', 2, 'agent', ['zeta', 'research'], 'h-alpha'],
    ]);
    for (const p of phases) {
      expect(p).toMatchObject({ runId: 'run-1', status: 'pending', attempts: 0, error: null, startedAt: null, finishedAt: null, exitCode: null, output: null, stdoutTail: null, stderrTail: null, usage: { inputTokens: 0, outputTokens: 0 } });
    }
  });

  it('createRun records attempt 1 with the flow source it ran with', () => {
    const ctx = get();
    startRun(ctx);
    expect(ctx.store.getAttempts('run-1')).toEqual([
      { runId: 'run-1', attempt: 1, flowSource: 'name: add-integration # v1\n', startedAt: ctx.last(), finishedAt: null, status: 'running', error: null, pid: OWNER.pid, restartPhase: null, usage: { inputTokens: 0, outputTokens: 0 } },
    ]);
  });

  it('createRun with an existing id throws and leaves that run alone', () => {
    const ctx = get();
    startRun(ctx);
    const before = snapshot(ctx.store, 'run-1');
    expect(thrown(() => ctx.store.createRun(newRun('run-1', { flowName: 'other' }), OWNER, ctx.now())).message).toMatch(/run-1 already exists/);
    expect(snapshot(ctx.store, 'run-1')).toEqual(before);
  });

  it('reads of an unknown run are empty, not errors', () => {
    const { store } = get();
    expect(store.getRun('nope')).toBeUndefined();
    expect(store.getPhases('nope')).toEqual([]);
    expect(store.getAttempts('nope')).toEqual([]);
    expect(store.eventsSince('nope', 0, 10)).toEqual([]);
    expect(store.readTranscript('nope', 'code', 0, 10)).toEqual([]);
    expect(store.getPhaseResults('nope').size).toBe(0);
  });

  it('listRuns returns the newest first, up to the limit, ties broken by id descending', () => {
    const ctx = get();
    for (const id of ['run-a', 'run-b', 'run-c']) startRun(ctx, id);
    const same = ctx.now();
    ctx.store.createRun(newRun('run-e'), OWNER, same);
    ctx.store.createRun(newRun('run-d'), OWNER, same);
    expect(ctx.store.listRuns(10).map((r) => r.id)).toEqual(['run-e', 'run-d', 'run-c', 'run-b', 'run-a']);
    expect(ctx.store.listRuns(2).map((r) => r.id)).toEqual(['run-e', 'run-d']);
    expect(ctx.store.listRuns(0)).toEqual([]);
    expect(ctx.store.listRuns(1)[0]).toEqual(ctx.store.getRun('run-e'));
  });

  it('runsUpdatedSince lists runs touched after a time, oldest change first, with their last seq', () => {
    const ctx = get();
    startRun(ctx, 'run-a');
    startRun(ctx, 'run-b');
    const mark = ctx.last();
    expect(ctx.store.runsUpdatedSince(mark)).toEqual([]);
    commit(ctx, 'run-a', [started('research')]);
    const touched = ctx.last();
    expect(ctx.store.runsUpdatedSince(mark)).toEqual([{ id: 'run-a', lastSeq: 2, updatedAt: touched }]);
    expect(ctx.store.runsUpdatedSince(0).map((r) => r.id)).toEqual(['run-b', 'run-a']);
  });

  it('a heartbeat does not count as an update', () => {
    const ctx = get();
    startRun(ctx);
    const mark = ctx.last();
    expect(ctx.store.heartbeat('run-1', OWNER, ctx.now())).toBe(true);
    expect(ctx.store.runsUpdatedSince(mark)).toEqual([]);
  });

  it('records handed out are copies: mutating them changes nothing stored', () => {
    const ctx = get();
    startRun(ctx);
    const before = snapshot(ctx.store, 'run-1');
    const run = ctx.store.getRun('run-1');
    if (run) Object.assign(run, { status: 'failed', inputs: { service: 'x' } });
    const [phase] = ctx.store.getPhases('run-1');
    if (phase) phase.dependsOn.push('hacked');
    const [event] = ctx.store.eventsSince('run-1', 0, 1);
    if (event?.type === 'run.started') event.phases.pop();
    expect(snapshot(ctx.store, 'run-1')).toEqual(before);
  });
}
