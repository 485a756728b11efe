/**
 * Conformance: history (SPEC §4 "Run again from a phase", §5 "History"). Every try of a
 * phase stays readable after resumes (status, error, timings, tails, command line,
 * usage, decision, and the output it produced, also once a later success replaced it);
 * a crash ends a run's attempt and tries when its owner was last seen alive, and a run's
 * active time sums its attempts; a rerun starts with copies of the results it reuses.
 */
import { expect, it } from 'vitest';
import type { PlannedPhase, RunFact } from '../../../shared/events';
import type { TryLog } from '../../../shared/log/phase-log';
import { applyRunEvents } from '../../../shared/run-reducer';
import { eventDerived } from '../../../shared/testing/replay-trace';
import { emptyTotals } from '../../../shared/usage';
import { MODEL_ERROR, OTHER, OWNER, PLAN, alive, aliveExcept, commit, failed, failedRun, newAttempt, newRun, said, started, startRun, succeeded, thrown, type Ctx, type GetCtx } from './fixtures';

const STALE_MS = 30_000;
const finished = (status: 'failed' | 'succeeded'): RunFact =>
  status === 'failed' ? { type: 'run.finished', attempt: 1, status, error: { code: 'PHASE_FAILED', message: 'phase failed' } } : { type: 'run.finished', attempt: 1, status };
const commandLog = (stderr: string): TryLog => ({
  commandLine: 'pytest -q',
  stdout: { text: '', totalBytes: 0, omitted: null, marks: [] },
  stderr: { text: stderr, totalBytes: Buffer.byteLength(stderr), omitted: null, marks: [{ line: 0, at: 5, order: 0 }] },
});

/** run-1 (failed: `code` failed in attempt 1) resumed as attempt 2 by OTHER, `code` reused from nothing. */
async function resumed(ctx: Ctx) {
  await failedRun(ctx);
  return ctx.store.beginAttempt('run-1', newAttempt(PLAN, ['research']), OTHER, ctx.now(), alive);
}

export function historySection(get: GetCtx): void {
  it('keeps every try of a phase after a resume: status, error, timings, run attempt, usage and output', async () => {
    const ctx = get();
    await failedRun(ctx);
    const failedAt = (await ctx.store.getPhases('run-1'))[1]?.finishedAt;
    await ctx.store.beginAttempt('run-1', newAttempt(PLAN, ['research']), OTHER, ctx.now(), alive);
    await commit(ctx, 'run-1', [started('code', 2, 2)], OTHER);
    const secondStart = ctx.last();
    await commit(ctx, 'run-1', [said('code', 1, { text: 'again' }, { inputTokens: 4, outputTokens: 2 }), succeeded('code', 2, 'def check(): ...')], OTHER);
    const tries = await ctx.store.getTries('run-1', 'code');
    expect(tries).toEqual([
      {
        runId: 'run-1', phaseId: 'code', attempt: 1, runAttempt: 1, defHash: 'h-code', status: 'failed', error: MODEL_ERROR,
        startedAt: expect.any(Number), finishedAt: failedAt, exitCode: null, output: null, stdoutTail: null, stderrTail: null, commandLine: null,
        usage: { ...emptyTotals(), inputTokens: 10, outputTokens: 3, steps: 1, unpricedSteps: 1 }, decision: null,
      },
      {
        runId: 'run-1', phaseId: 'code', attempt: 2, runAttempt: 2, defHash: 'h-code', status: 'succeeded', error: null,
        startedAt: secondStart, finishedAt: ctx.last(), exitCode: null, output: 'def check(): ...', stdoutTail: null, stderrTail: null, commandLine: null,
        usage: { ...emptyTotals(), inputTokens: 4, outputTokens: 2, steps: 1, unpricedSteps: 1 }, decision: null,
      },
    ]);
    // Each try's transcript entries say which try wrote them.
    expect((await ctx.store.readTranscript('run-1', 'code', 0, 10)).map((e) => [e.index, e.attempt])).toEqual([[0, 1], [1, 2]]);
    // Without a phase: every try of the run, by phase id then try.
    expect((await ctx.store.getTries('run-1')).map((t) => [t.phaseId, t.attempt, t.status])).toEqual([['code', 1, 'failed'], ['code', 2, 'succeeded'], ['research', 1, 'succeeded']]);
    expect(await ctx.store.getTries('run-1', 'test')).toEqual([]);
    expect(await ctx.store.getTries('no-such-run')).toEqual([]);
  });

  it('a command try keeps its exit code, stream tails and command line; a retry is a try of its own', async () => {
    const ctx = get();
    await startRun(ctx);
    await commit(ctx, 'run-1', [started('research'), succeeded('research', 1, 'r'), started('code'), succeeded('code', 1, 'c'), started('test')]);
    await commit(ctx, 'run-1', [failed('test', 1, { code: 'COMMAND_FAILED', message: 'exited with code 2' }, { exitCode: 2, stderrTail: 'E   AssertionError', retryInMs: 100, log: commandLog('E   AssertionError\n') })]);
    await commit(ctx, 'run-1', [started('test', 2), succeeded('test', 2, '3 passed\n', { exitCode: 0, stdoutTail: '3 passed\n' })]);
    const tries = await ctx.store.getTries('run-1', 'test');
    expect(tries.map((t) => [t.attempt, t.runAttempt, t.status, t.exitCode, t.error?.message ?? null, t.stderrTail, t.commandLine, t.output])).toEqual([
      [1, 1, 'failed', 2, 'exited with code 2', 'E   AssertionError', 'pytest -q', null],
      [2, 1, 'succeeded', 0, null, null, null, '3 passed\n'],
    ]);
  });

  it('a success that replaces an earlier one as the saved result leaves the earlier try its output', async () => {
    const ctx = get();
    await resumed(ctx);
    // Attempt 2 restarts `research` (not reused); its new success replaces the saved result.
    await ctx.store.commit('run-1', OTHER, [{ type: 'run.finished', attempt: 2, status: 'failed', error: { code: 'PHASE_FAILED', message: 'x' } }], ctx.now());
    await ctx.store.beginAttempt('run-1', newAttempt(PLAN, [], { restartPhase: 'research' }), OWNER, ctx.now(), alive);
    await commit(ctx, 'run-1', [started('research', 2, 3), succeeded('research', 2, 'metrics: a, b, c')]);
    expect((await ctx.store.getTries('run-1', 'research')).map((t) => [t.attempt, t.runAttempt, t.status, t.output])).toEqual([
      [1, 1, 'succeeded', 'metrics: a, b'],
      [2, 3, 'succeeded', 'metrics: a, b, c'],
    ]);
    expect((await ctx.store.getPhaseResults('run-1')).get('research')).toMatchObject({ output: 'metrics: a, b, c', attempt: 2 });
    // The event log still replays only the saved result for the success that holds it.
    const ends = (await ctx.store.eventsSince('run-1', 0, 100)).filter((e) => e.type === 'phase.finished' && e.phaseId === 'research');
    expect(ends.map((e) => (e.type === 'phase.finished' ? e.output : undefined))).toEqual([undefined, 'metrics: a, b, c']);
  });

  it('an approval try waiting in a waiting run shows waiting; its decision stays with the try', async () => {
    const ctx = get();
    const plan: PlannedPhase[] = [{ id: 'review', kind: 'approval', dependsOn: [], defHash: 'h-review' }];
    await ctx.store.createRun(newRun('run-1', { start: { flowName: 'f', phases: plan, reused: [], frontier: ['review'] } }), OWNER, ctx.now());
    await commit(ctx, 'run-1', [started('review'), { type: 'phase.waiting', phaseId: 'review', attempt: 1, reason: 'approval', prompt: 'ok?' }]);
    await commit(ctx, 'run-1', [{ type: 'run.finished', attempt: 1, status: 'waiting', waitingFor: { approvals: ['review'], budget: null } }]);
    expect((await ctx.store.getTries('run-1', 'review')).map((t) => t.status)).toEqual(['waiting']);
    const at = ctx.now();
    await ctx.store.decide('run-1', { phaseId: 'review', decision: 'approved', by: 'ada', comment: 'go' }, at);
    expect(await ctx.store.getTries('run-1', 'review')).toMatchObject([{ attempt: 1, status: 'succeeded', output: 'go', decision: { phaseId: 'review', attempt: 1, decision: 'approved', by: 'ada', comment: 'go', at } }]);
  });

  it('a crash ends the attempt and its tries when the owner was last seen alive; a run’s active time sums its attempts', async () => {
    const ctx = get();
    const { run } = await startRun(ctx);
    expect(run).toMatchObject({ activeMs: 0, attemptStartedAt: run.createdAt });
    await commit(ctx, 'run-1', [started('research')]);
    const beat = ctx.now();
    await ctx.store.heartbeat('run-1', OWNER, beat);
    // Found dead long after its last heartbeat: the crash is dated by the heartbeat.
    const found = beat + 3_600_000;
    await ctx.store.reapOrphans(aliveExcept(OWNER.pid), found, STALE_MS);
    expect(await ctx.store.getRun('run-1')).toMatchObject({ status: 'interrupted', finishedAt: beat, updatedAt: found, activeMs: beat - run.createdAt, attemptStartedAt: null });
    expect((await ctx.store.getAttempts('run-1'))[0]).toMatchObject({ status: 'interrupted', finishedAt: beat });
    expect((await ctx.store.getPhases('run-1'))[0]).toMatchObject({ status: 'interrupted', finishedAt: beat });
    expect(await ctx.store.getTries('run-1', 'research')).toMatchObject([{ status: 'interrupted', finishedAt: beat }]);

    // A second attempt adds its own active time; the hour between attempts does not count.
    const resumedAt = found + 1_000;
    const begun = await ctx.store.beginAttempt('run-1', newAttempt(PLAN, []), OTHER, resumedAt, alive);
    expect(begun.run).toMatchObject({ activeMs: beat - run.createdAt, attemptStartedAt: resumedAt });
    const endedAt = resumedAt + 500;
    await ctx.store.commit('run-1', OTHER, [finished('failed')].map((f) => ({ ...f, attempt: 2 })), endedAt);
    expect(await ctx.store.getRun('run-1')).toMatchObject({ finishedAt: endedAt, activeMs: beat - run.createdAt + 500, attemptStartedAt: null });
  });

  it('a crash found while resuming ends at the last sign of life too', async () => {
    const ctx = get();
    await startRun(ctx);
    await commit(ctx, 'run-1', [started('research')]);
    const lastCommit = ctx.last();
    const begun = await ctx.store.beginAttempt('run-1', newAttempt(PLAN, []), OTHER, lastCommit + 60_000, aliveExcept(OWNER.pid));
    expect(begun.events.slice(0, 2)).toMatchObject([
      { type: 'phase.finished', phaseId: 'research', status: 'interrupted', endedAt: lastCommit, durationMs: 0 },
      { type: 'run.finished', attempt: 1, status: 'interrupted', endedAt: lastCommit },
    ]);
    expect((await ctx.store.getAttempts('run-1'))[0]?.finishedAt).toBe(lastCommit);
  });

  it('a rerun starts with copies of the results it reuses and records where it came from', async () => {
    const ctx = get();
    await failedRun(ctx);
    const source = await ctx.store.getPhaseResults('run-1');
    const { run, events } = await ctx.store.createRun(
      newRun('run-2', { rerunOf: { runId: 'run-1', phase: 'code' }, start: { flowName: 'add-integration', phases: PLAN, reused: ['research'], frontier: ['code'] } }),
      OWNER,
      ctx.now(),
    );
    expect(run).toMatchObject({ id: 'run-2', status: 'running', attempt: 1, rerunOf: { runId: 'run-1', phase: 'code' } });
    expect(events).toMatchObject([{ type: 'run.started', attempt: 1, resumed: false, reused: ['research'], frontier: ['code'], outputs: { research: 'metrics: a, b' } }]);
    expect((await ctx.store.getPhases('run-2')).map((p) => [p.phaseId, p.status, p.attempts, p.output])).toEqual([
      ['research', 'succeeded', 0, 'metrics: a, b'],
      ['code', 'pending', 0, null],
      ['test', 'pending', 0, null],
    ]);
    // Reused as a result of its own (no try of its own: attempt 0), verified like any other.
    expect((await ctx.store.getPhaseResults('run-2')).get('research')).toEqual({ ...source.get('research'), attempt: 0 });
    expect(await ctx.store.getTries('run-2')).toEqual([]);
    expect(await ctx.store.eventsSince('run-2', 0, 10)).toEqual(events);
    expect(eventDerived(applyRunEvents({ run: { ...run, lastSeq: 0 }, phases: [] }, events))).toEqual(eventDerived({ run, phases: await ctx.store.getPhases('run-2') }));
    // The run it came from is untouched, and a later resume of the rerun reuses the copy.
    expect(await ctx.store.getPhaseResults('run-1')).toEqual(source);
    await ctx.store.commit('run-2', OWNER, [started('code'), failed('code', 1, MODEL_ERROR), { type: 'run.finished', attempt: 1, status: 'failed' }], ctx.now());
    const again = await ctx.store.beginAttempt('run-2', newAttempt(PLAN, ['research']), OWNER, ctx.now(), alive);
    expect(again.events).toMatchObject([{ type: 'run.started', attempt: 2, outputs: { research: 'metrics: a, b' } }]);
    expect((await ctx.store.getRun('run-2'))?.rerunOf).toEqual({ runId: 'run-1', phase: 'code' });
  });

  it('a rerun reusing a phase without a saved result (or from no run) is refused, leaving no run', async () => {
    const ctx = get();
    await failedRun(ctx);
    const rerun = (reused: string[], from = 'run-1') =>
      ctx.store.createRun(newRun('run-2', { rerunOf: { runId: from, phase: 'test' }, start: { flowName: 'f', phases: PLAN, reused, frontier: [] } }), OWNER, ctx.now());
    expect(await thrown(() => rerun(['research', 'code']))).toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('phase "code" has no saved result in run run-1') });
    expect(await thrown(() => rerun(['research'], 'nope'))).toMatchObject({ code: 'INTERNAL' });
    expect(await thrown(() => ctx.store.createRun(newRun('run-2', { start: { flowName: 'f', phases: PLAN, reused: ['research'], frontier: [] } }), OWNER, ctx.now()))).toMatchObject({ code: 'INTERNAL' });
    expect(await ctx.store.getRun('run-2')).toBeUndefined();
    expect(await ctx.store.getPhaseResults('run-2')).toEqual(new Map());
    // The refused id is free again.
    await ctx.store.createRun(newRun('run-2'), OWNER, ctx.now());
    expect((await ctx.store.getRun('run-2'))?.rerunOf).toBeNull();
  });
}
