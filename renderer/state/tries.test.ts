/**
 * The inspector's tries (SPEC §5 History): loaded per phase, kept current by the run's
 * events through the event pump, events arriving while loading not lost, the selected
 * try keyed by run and phase; and the header's attempts.
 */
import { describe, expect, it } from 'vitest';
import type { TryRecord } from '../../shared/records';
import { emptyTotals } from '../../shared/usage';
import { diamond, persisted } from '../test/fixtures';
import { applyAttemptEvents, type AttemptSummary } from './attempts';
import { createEventPump } from './apply-event';
import { createWaymarkStore } from './store';
import { shownTry } from './tries-slice';

const tryRecord = (attempt: number, over: Partial<TryRecord> = {}): TryRecord => ({
  runId: 'run001', phaseId: 'b', attempt, runAttempt: attempt, defHash: 'h-b', status: 'failed', error: { code: 'COMMAND_FAILED', message: `exited with code ${attempt}` },
  startedAt: 100 * attempt, finishedAt: 100 * attempt + 50, exitCode: attempt, output: null, stdoutTail: null, stderrTail: `boom ${attempt}`, commandLine: 'make', usage: emptyTotals(),
  decision: null, ...over,
});

function setup() {
  const store = createWaymarkStore();
  const frames: (() => void)[] = [];
  const pump = createEventPump({ store, schedule: (flush) => frames.push(flush) });
  const frame = () => frames.splice(0).forEach((f) => f());
  store.getState().openRun('run001');
  store.getState().setSnapshot(diamond({ lastSeq: 1 }));
  return { store, pump, frame, s: () => store.getState() };
}

describe('the tries of the inspected phase', () => {
  it('keeps the first try’s error and stderr beside the next try, which events start, end and charge', () => {
    const { pump, frame, s } = setup();
    s().triesLoading('run001', 'b');
    s().triesLoaded('run001', 'b', [tryRecord(1)]);
    pump.push(persisted(2, { type: 'phase.started', phaseId: 'b', attempt: 2, runAttempt: 2, defHash: 'h-b' }));
    pump.push(persisted(3, { type: 'transcript.appended', phaseId: 'b', index: 0, role: 'assistant', usage: { inputTokens: 10, outputTokens: 4, costUsd: 0.01 } }));
    // Another phase's events change nothing here.
    pump.push(persisted(4, { type: 'phase.started', phaseId: 'c', attempt: 1, runAttempt: 2, defHash: 'h-c' }));
    frame();
    expect(s().tries?.list.map((t) => [t.attempt, t.status, t.finishedAt, t.usage.inputTokens])).toEqual([
      [1, 'failed', 150, 0],
      [2, 'running', null, 10],
    ]);
    pump.push(persisted(5, { type: 'phase.finished', phaseId: 'b', attempt: 2, status: 'succeeded', durationMs: 3, output: 'built', exitCode: 0, stderrTail: 'warn' }));
    frame();
    const [first, second] = s().tries?.list ?? [];
    expect(first).toEqual(tryRecord(1));
    expect(second).toMatchObject({ attempt: 2, runAttempt: 2, status: 'succeeded', output: 'built', exitCode: 0, stderrTail: 'warn', finishedAt: 1005, error: null });
  });

  it('applies events that arrive while the list loads once it lands, without doubling a try the list already has', () => {
    const { pump, frame, s } = setup();
    s().triesLoading('run001', 'b');
    pump.push(persisted(2, { type: 'phase.started', phaseId: 'b', attempt: 2, runAttempt: 2, defHash: 'h-b' }));
    pump.push(persisted(3, { type: 'phase.finished', phaseId: 'b', attempt: 2, status: 'failed', durationMs: 3, error: { code: 'COMMAND_FAILED', message: 'x' }, retryInMs: 100 }));
    frame();
    expect(s().tries).toMatchObject({ loading: true, list: [] });
    // The answer was read after try 2 started: it has it running; the held end applies on top.
    s().triesLoaded('run001', 'b', [tryRecord(1), tryRecord(2, { status: 'running', finishedAt: null, error: null, exitCode: null })]);
    expect(s().tries?.list.map((t) => [t.attempt, t.status])).toEqual([[1, 'failed'], [2, 'failed']]);
    expect(s().tries?.held).toEqual([]);
  });

  it('a crash recorded later ends the running try when the owner was last seen; a waiting approval stays waiting in a waiting run', () => {
    const { pump, frame, s } = setup();
    s().triesLoading('run001', 'b');
    s().triesLoaded('run001', 'b', [tryRecord(1, { status: 'running', finishedAt: null, error: null })]);
    pump.push(persisted(2, { type: 'run.finished', attempt: 1, status: 'interrupted', endedAt: 120 }));
    frame();
    expect(s().tries?.list[0]).toMatchObject({ status: 'interrupted', finishedAt: 120 });

    s().triesLoaded('run001', 'b', [tryRecord(1, { status: 'running', finishedAt: null, error: null })]);
    pump.push(persisted(3, { type: 'phase.waiting', phaseId: 'b', attempt: 1, reason: 'approval', prompt: 'ok?' }));
    pump.push(persisted(4, { type: 'run.finished', attempt: 1, status: 'waiting', waitingFor: { approvals: ['b'], budget: null } }));
    pump.push(persisted(5, { type: 'approval.decided', phaseId: 'b', attempt: 1, decision: 'approved', by: 'ada', comment: 'go' }));
    frame();
    expect(s().tries?.list[0]).toMatchObject({ status: 'waiting', finishedAt: null, decision: { by: 'ada', comment: 'go', attempt: 1 } });
  });

  it('ignores an answer for a phase no longer inspected, and shows the selected try only for its own phase', () => {
    const { s } = setup();
    s().triesLoading('run001', 'b');
    s().triesLoading('run001', 'c');
    s().triesLoaded('run001', 'b', [tryRecord(1)]);
    expect(s().tries).toMatchObject({ phaseId: 'c', loading: true, list: [] });
    s().triesFailed('run001', 'c', 'network down');
    expect(s().tries).toMatchObject({ phaseId: 'c', loading: false, error: 'network down' });

    s().selectTry('run001', 'b', 1);
    expect(shownTry(s(), 'run001', 'b')).toBe(1);
    expect(shownTry(s(), 'run001', 'c')).toBeNull();
    expect(shownTry(s(), 'run002', 'b')).toBeNull();
    s().selectTry('run001', 'b', null);
    expect(shownTry(s(), 'run001', 'b')).toBeNull();
  });
});

describe('the run header’s attempts', () => {
  it('a resume adds a running attempt; its end (a crash: the last heartbeat) closes it', () => {
    const first: AttemptSummary = { attempt: 1, startedAt: 100, finishedAt: 200, status: 'failed', error: { code: 'PHASE_FAILED', message: 'b failed' }, restartPhase: null };
    const started = applyAttemptEvents([first], [persisted(5, { type: 'run.started', attempt: 2, flowName: 'demo', phases: [], reused: [], frontier: [], resumed: true })]);
    expect(started).toEqual([first, { attempt: 2, startedAt: 1005, finishedAt: null, status: 'running', error: null, restartPhase: null }]);
    const ended = applyAttemptEvents(started, [persisted(6, { type: 'run.finished', attempt: 2, status: 'interrupted', endedAt: 1003 })]);
    expect(ended[1]).toMatchObject({ status: 'interrupted', finishedAt: 1003 });
    expect(applyAttemptEvents(ended, [persisted(7, { type: 'phase.started', phaseId: 'a', attempt: 1, runAttempt: 2, defHash: 'h' })])).toBe(ended);
  });
});
