import { describe, expect, it } from 'vitest';
import type { PersistedEvent, RunFact, StoreFact } from './events';
import type { PhaseRecord, RunRecord } from './records';
import { applyRunEvents, STREAM_TAIL_CHARS, type RunSnapshot } from './run-reducer';
import { emptyTotals } from './usage';

const run = (over: Partial<RunRecord> = {}): RunRecord => ({
  id: 'run-1', flowName: 'demo', flowFile: '/flows/demo.yaml', status: 'running', inputs: {}, error: null, createdAt: 100, updatedAt: 100,
  finishedAt: null, attempt: 1, lastSeq: 1, owner: { id: 'o', pid: 1, host: 'h', heartbeatAt: 100 }, waitingFor: null, usage: emptyTotals(),
  rerunOf: null, activeMs: 0, attemptStartedAt: 100, ...over,
});
const phase = (phaseId: string, position: number, over: Partial<PhaseRecord> = {}): PhaseRecord => ({
  runId: 'run-1', phaseId, position, kind: 'command', dependsOn: position === 0 ? [] : ['a'], defHash: `h-${phaseId}`, status: 'pending', attempts: 0,
  error: null, startedAt: null, finishedAt: null, exitCode: null, output: null, stdoutTail: null, stderrTail: null, waiting: null, decision: null, usage: emptyTotals(), ...over,
});
const snap = (phases = [phase('a', 0), phase('b', 1)], over: Partial<RunRecord> = {}): RunSnapshot => ({ run: run(over), phases });
const ev = (seq: number, fact: RunFact | StoreFact): PersistedEvent => ({ ...fact, runId: 'run-1', seq, at: 1000 + seq }) as PersistedEvent;
const plan = (ids: string[]) => ids.map((id, i) => ({ id, kind: 'command', dependsOn: i === 0 ? [] : ['a'], defHash: `h-${id}` }));
const byId = (s: RunSnapshot, id: string) => s.phases.find((p) => p.phaseId === id);

describe('applyRunEvents', () => {
  it('copies on write: the input stays untouched and untouched phases keep their objects', () => {
    const before = snap();
    const frozen = structuredClone(before);
    const after = applyRunEvents(before, [ev(2, { type: 'phase.started', phaseId: 'a', attempt: 1, runAttempt: 1, defHash: 'h-a' })]);
    expect(before).toEqual(frozen);
    expect(after.phases[1]).toBe(before.phases[1]);
    expect(after.phases[0]).toMatchObject({ status: 'running', attempts: 1, startedAt: 1002 });
    expect(after.run).toMatchObject({ lastSeq: 2, updatedAt: 1002 });
  });

  it('ignores events already applied and events of other runs, returning the same snapshot', () => {
    const before = snap();
    const old = ev(1, { type: 'phase.started', phaseId: 'a', attempt: 1, runAttempt: 1, defHash: 'h-a' });
    expect(applyRunEvents(before, [old, { ...ev(5, old), runId: 'other' }])).toBe(before);
  });

  it('applies out-of-order batches in seq order', () => {
    const after = applyRunEvents(snap(), [
      ev(3, { type: 'phase.finished', phaseId: 'a', attempt: 1, status: 'succeeded', durationMs: 1, output: 'A' }),
      ev(2, { type: 'phase.started', phaseId: 'a', attempt: 1, runAttempt: 1, defHash: 'h-a' }),
    ]);
    expect(byId(after, 'a')).toMatchObject({ status: 'succeeded', output: 'A', finishedAt: 1003 });
  });

  it('shows an output only on success; a success without one saved the empty text', () => {
    const running = snap([phase('a', 0, { status: 'running', attempts: 1 }), phase('b', 1, { status: 'running', attempts: 1 })]);
    const after = applyRunEvents(running, [
      ev(2, { type: 'phase.finished', phaseId: 'a', attempt: 1, status: 'succeeded', durationMs: 1 }),
      ev(3, { type: 'phase.finished', phaseId: 'b', attempt: 1, status: 'failed', durationMs: 1, output: 'ignored', exitCode: 2 }),
    ]);
    expect(byId(after, 'a')?.output).toBe('');
    expect(byId(after, 'b')).toMatchObject({ status: 'failed', output: null, exitCode: 2 });
  });

  it('keeps a failed try running while its retry is scheduled, without an output', () => {
    const after = applyRunEvents(snap([phase('a', 0, { status: 'running', attempts: 1 })]), [
      ev(2, { type: 'phase.finished', phaseId: 'a', attempt: 1, status: 'failed', durationMs: 1, retryInMs: 500, error: { code: 'PROVIDER_TRANSIENT', message: '503' } }),
    ]);
    expect(byId(after, 'a')).toMatchObject({ status: 'running', output: null, error: { code: 'PROVIDER_TRANSIENT' } });
  });

  it('records the stream tails of the latest try only, cut to what a store keeps', () => {
    const long = 'x'.repeat(STREAM_TAIL_CHARS + 10) + 'END';
    const a = phase('a', 0, { status: 'running', attempts: 2, stderrTail: 'try 2 so far' });
    const after = applyRunEvents(snap([a]), [
      ev(2, { type: 'phase.finished', phaseId: 'a', attempt: 1, status: 'failed', durationMs: 1, stderrTail: 'late end of try 1' }),
    ]);
    expect(byId(after, 'a')?.stderrTail).toBe('try 2 so far');
    const ended = applyRunEvents(after, [ev(3, { type: 'phase.finished', phaseId: 'a', attempt: 2, status: 'failed', durationMs: 1, stdoutTail: long })]);
    expect(byId(ended, 'a')?.stdoutTail).toHaveLength(STREAM_TAIL_CHARS);
    expect(byId(ended, 'a')?.stdoutTail?.endsWith('END')).toBe(true);
    expect(byId(ended, 'a')?.stderrTail).toBeNull();
  });

  it('a skip (try 0) keeps the tails of the last real try', () => {
    const after = applyRunEvents(snap([phase('a', 0, { status: 'pending', attempts: 1, stdoutTail: 'before' })]), [
      ev(2, { type: 'phase.finished', phaseId: 'a', attempt: 0, status: 'skipped', durationMs: 0 }),
    ]);
    expect(byId(after, 'a')).toMatchObject({ status: 'skipped', stdoutTail: 'before' });
  });

  it('adds token usage and cost to the phase and the run, counting unpriced steps', () => {
    const after = applyRunEvents(snap(), [
      ev(2, { type: 'transcript.appended', phaseId: 'b', index: 0, role: 'assistant', usage: { inputTokens: 10, outputTokens: 4, cachedInputTokens: 6, reasoningTokens: 1, costUsd: 0.25 } }),
      ev(3, { type: 'transcript.appended', phaseId: 'b', index: 1, role: 'tool' }),
      ev(4, { type: 'transcript.appended', phaseId: 'a', index: 0, role: 'assistant', usage: { inputTokens: 5, outputTokens: 1, costUsd: null } }),
    ]);
    expect(byId(after, 'b')?.usage).toEqual({ inputTokens: 10, outputTokens: 4, cachedInputTokens: 6, reasoningTokens: 1, costUsd: 0.25, steps: 1, unpricedSteps: 0 });
    expect(byId(after, 'a')?.usage).toEqual({ ...emptyTotals(), inputTokens: 5, outputTokens: 1, steps: 1, unpricedSteps: 1 });
    expect(after.run.usage).toEqual({ inputTokens: 15, outputTokens: 5, cachedInputTokens: 6, reasoningTokens: 1, costUsd: 0.25, steps: 2, unpricedSteps: 1 });
    expect(after.run.lastSeq).toBe(4);
  });

  it('run.finished ends the run, drops the owner and interrupts running phases', () => {
    const after = applyRunEvents(snap([phase('a', 0, { status: 'running', attempts: 1 }), phase('b', 1)]), [
      ev(2, { type: 'run.finished', attempt: 1, status: 'interrupted', error: { code: 'INTERRUPTED', message: 'gone' } }),
    ]);
    expect(after.run).toMatchObject({ status: 'interrupted', finishedAt: 1002, owner: null, error: { code: 'INTERRUPTED' } });
    expect(after.phases.map((p) => p.status)).toEqual(['interrupted', 'pending']);
    expect(byId(after, 'a')?.finishedAt).toBe(1002);
  });

  it('run.queued waits for a worker: no owner, not finished, the reason it stopped kept, phases untouched', () => {
    const interrupted = snap([phase('a', 0, { status: 'succeeded', attempts: 1 }), phase('b', 1, { status: 'interrupted', attempts: 1 })], {
      status: 'interrupted', finishedAt: 900, error: { code: 'INTERRUPTED', message: 'its process died' }, owner: null,
    });
    const after = applyRunEvents(interrupted, [ev(2, { type: 'run.queued', attempt: 1, flowName: 'demo', requeues: 1 })]);
    expect(after.run).toMatchObject({ status: 'queued', attempt: 1, finishedAt: null, owner: null, error: { code: 'INTERRUPTED' }, lastSeq: 2, updatedAt: 1002 });
    expect(after.phases).toEqual(interrupted.phases);
  });

  describe('run.started (a new attempt)', () => {
    const failedA = phase('a', 0, { status: 'failed', attempts: 1, error: { code: 'COMMAND_FAILED', message: 'exit 1' }, startedAt: 5, finishedAt: 6, exitCode: 1, stderrTail: 'boom', usage: { ...emptyTotals(), inputTokens: 3, outputTokens: 1, steps: 1, unpricedSteps: 1 } });
    const doneB = phase('b', 1, { status: 'succeeded', attempts: 1, output: 'B' });
    const before = snap([failedA, doneB], { status: 'failed', finishedAt: 7, error: { code: 'PHASE_FAILED', message: 'a failed' }, owner: null });
    const started = (seq: number, ids: string[], reused: string[], extra: object = {}) =>
      ev(seq, { type: 'run.started', attempt: 2, flowName: 'renamed', phases: plan(ids), reused, frontier: [], resumed: true, ...extra });

    it('restarts the run, keeps a re-running phase\'s last try (timings, exit code, tails) and clears its error', () => {
      const after = applyRunEvents(before, [started(2, ['a', 'b'], ['b'])]);
      expect(after.run).toMatchObject({ status: 'running', attempt: 2, error: null, finishedAt: null, flowName: 'renamed', flowFile: '/flows/demo.yaml', owner: null });
      expect(byId(after, 'a')).toEqual({ ...failedA, status: 'pending', error: null });
      expect(byId(after, 'b')).toBe(doneB);
    });

    it('takes a reused phase\'s output from the event when the snapshot does not show it', () => {
      const pending = snap([phase('a', 0, { status: 'interrupted', attempts: 2 }), doneB]);
      const after = applyRunEvents(pending, [started(2, ['a', 'b'], ['a', 'b'], { outputs: { a: 'saved A', b: 'B' } })]);
      expect(byId(after, 'a')).toMatchObject({ status: 'succeeded', output: 'saved A', attempts: 2 });
      expect(byId(after, 'b')).toBe(doneB);
    });

    it('drops phases out of the plan; a phase back in the plan counts on from its earlier tries', () => {
      const after = applyRunEvents(before, [started(2, ['a', 'c', 'd'], [], { triesBefore: { c: 3 } })]);
      expect(after.phases.map((p) => [p.phaseId, p.position, p.attempts, p.status])).toEqual([['a', 0, 1, 'pending'], ['c', 1, 3, 'pending'], ['d', 2, 0, 'pending']]);
      expect(byId(after, 'c')).toMatchObject({ output: null, stderrTail: null, startedAt: null, usage: emptyTotals() });
    });

    it('a reaped attempt and the resume in one batch: running phases end interrupted, then re-plan', () => {
      const running = snap([phase('a', 0, { status: 'running', attempts: 1, startedAt: 5 }), doneB]);
      const after = applyRunEvents(running, [
        ev(2, { type: 'phase.finished', phaseId: 'a', attempt: 1, status: 'interrupted', durationMs: 3 }),
        ev(3, { type: 'run.finished', attempt: 1, status: 'interrupted' }),
        started(4, ['a', 'b'], ['b']),
      ]);
      expect(byId(after, 'a')).toMatchObject({ status: 'pending', attempts: 1, startedAt: 5, finishedAt: 1002 });
      expect(after.run).toMatchObject({ status: 'running', attempt: 2, lastSeq: 4, updatedAt: 1004, owner: null });
    });
  });
});
