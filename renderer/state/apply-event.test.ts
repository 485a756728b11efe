import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../shared/api';
import { diamond, persisted } from '../test/fixtures';
import { createEventPump } from './apply-event';
import { createWaymarkStore } from './store';

function setup() {
  const store = createWaymarkStore();
  const frames: (() => void)[] = [];
  const calls = { runsChanged: [] as string[][], finished: [] as string[] };
  const pump = createEventPump({
    store,
    schedule: (flush) => frames.push(flush),
    onRunsChanged: (ids) => calls.runsChanged.push([...ids]),
    onRunFinished: (id) => calls.finished.push(id),
  });
  const frame = () => frames.splice(0).forEach((f) => f());
  let updates = 0;
  store.subscribe(() => updates++);
  return { store, pump, frame, calls, updates: () => updates };
}

const started = (seq: number, phaseId: string) => persisted(seq, { type: 'phase.started', phaseId, attempt: 1, runAttempt: 1, defHash: `h-${phaseId}` });
const delta = (phaseId: string, text: string): ApiEvent => ({ type: 'phase.delta', runId: 'run001', phaseId, text });

describe('event pump', () => {
  it('drops events the snapshot already contains (seq <= lastSeq)', () => {
    const { store, pump, frame } = setup();
    store.getState().openRun('run001');
    store.getState().setSnapshot(diamond({ lastSeq: 3, run: { ...diamond().run, lastSeq: 3 } }));
    pump.push(started(3, 'a'));
    frame();
    expect(store.getState().view?.phases.a?.status).toBe('pending');
    pump.push(started(4, 'b'));
    pump.push(started(4, 'b'));
    frame();
    expect(store.getState().view?.phases.b?.status).toBe('running');
    expect(store.getState().view?.lastSeq).toBe(4);
  });

  it('holds events that arrive before the snapshot, then applies the newer ones', () => {
    const { store, pump, frame } = setup();
    store.getState().openRun('run001');
    pump.push(started(1, 'a'));
    pump.push(started(2, 'b'));
    frame();
    expect(store.getState().view).toBeNull();
    store.getState().setSnapshot(diamond({ lastSeq: 1 }));
    pump.wake();
    frame();
    const view = store.getState().view;
    expect(view?.phases.a?.status).toBe('pending');
    expect(view?.phases.b?.status).toBe('running');
    expect(view?.lastSeq).toBe(2);
  });

  it('coalesces token deltas: one store update per frame, never one per token', () => {
    const { store, pump, frame, updates } = setup();
    store.getState().openRun('run001');
    store.getState().setSnapshot(diamond());
    const before = updates();
    for (let i = 0; i < 500; i++) pump.push(delta('b', `t${i} `));
    expect(updates()).toBe(before);
    frame();
    expect(updates()).toBe(before + 1);
    expect(store.getState().streams.b?.text.startsWith('t0 t1 t2 ')).toBe(true);
    expect(store.getState().streams.b?.text.endsWith('t499 ')).toBe(true);
  });

  it('applies a burst of persisted and live events as one update', () => {
    const { store, pump, frame, updates } = setup();
    store.getState().openRun('run001');
    store.getState().setSnapshot(diamond());
    const before = updates();
    pump.push(started(2, 'a'));
    pump.push({ type: 'phase.log', runId: 'run001', phaseId: 'a', stream: 'stdout', text: 'one\n', attempt: 2, at: 5 });
    pump.push({ type: 'phase.log', runId: 'run001', phaseId: 'a', stream: 'stderr', text: 'two\n', attempt: 2, at: 6 });
    frame();
    // one for the run view, one for the live logs; the runs list has no such run
    expect(updates() - before).toBeLessThanOrEqual(2);
    const log = store.getState().liveLogs.a;
    expect([log?.attempt, log?.stdout.loaded.text, log?.stderr.loaded.text]).toEqual([2, 'one\n', 'two\n']);
    expect([log?.stdout.loaded.marks, log?.stderr.loaded.marks]).toEqual([[{ line: 0, at: 5, order: 0 }], [{ line: 0, at: 6, order: 1 }]]);
  });

  it('drops streamed text that landed in the transcript in the same frame', () => {
    const { store, pump, frame } = setup();
    store.getState().openRun('run001');
    store.getState().setSnapshot(diamond());
    pump.push(delta('b', 'first step'));
    pump.push(persisted(2, { type: 'transcript.appended', phaseId: 'b', index: 0, role: 'assistant', content: 'first step' }));
    pump.push(delta('b', 'second'));
    frame();
    expect(store.getState().streams.b?.text).toBe('second');
  });

  it('appends live transcript entries to the open inspector', () => {
    const { store, pump, frame } = setup();
    store.getState().openRun('run001');
    store.getState().setSnapshot(diamond());
    store.getState().selectPhase('b');
    store.getState().transcriptLoading('run001', 'b');
    store.getState().transcriptPage('run001', 'b', [], null);
    pump.push(persisted(2, { type: 'transcript.appended', phaseId: 'b', index: 0, role: 'user', content: 'hello' }));
    frame();
    expect(store.getState().transcript?.entries.map((e) => e.content)).toEqual(['hello']);
  });

  it('keeps live transcript entries that arrive while the first page loads', () => {
    const { store, pump, frame } = setup();
    store.getState().openRun('run001');
    store.getState().setSnapshot(diamond());
    store.getState().selectPhase('b');
    store.getState().transcriptLoading('run001', 'b');
    pump.push(persisted(2, { type: 'transcript.appended', phaseId: 'b', index: 1, role: 'assistant', content: 'late' }));
    frame();
    const first = { phaseId: 'b', index: 0, attempt: 1, role: 'user' as const, content: 'early', usage: null, at: 1 };
    store.getState().transcriptPage('run001', 'b', [first], null);
    expect(store.getState().transcript?.entries.map((e) => e.content)).toEqual(['early', 'late']);
  });

  it('shows store failures, reloads the list on runs.changed, and refetches a finished run', () => {
    const { store, pump, frame, calls } = setup();
    store.getState().openRun('run001');
    store.getState().setSnapshot(diamond());
    pump.push({ type: 'store.failed', runId: 'run001', message: 'disk full' });
    pump.push({ type: 'runs.changed', runId: 'run002' });
    pump.push(persisted(2, { type: 'run.finished', attempt: 1, status: 'failed' }));
    frame();
    expect(store.getState().notices.map((n) => n.message)).toEqual(['disk full']);
    expect(calls.runsChanged).toEqual([['run002']]);
    expect(calls.finished).toEqual(['run001']);
  });

  it('reloads the list when a run gets a new owner (run.started), not for its other events', () => {
    const { store, pump, frame, calls } = setup();
    store.getState().mergeNewestPage({ runs: [diamond().run], next: null });
    pump.push(persisted(2, { type: 'phase.started', phaseId: 'a', attempt: 1, runAttempt: 1, defHash: 'h' }));
    frame();
    expect(calls.runsChanged).toEqual([]);
    pump.push(persisted(3, { type: 'run.started', attempt: 2, flowName: 'f', phases: [], reused: [], frontier: [], resumed: true }));
    frame();
    expect(calls.runsChanged).toEqual([['run001']]);
  });

  it('updates the runs list from run events, by seq', () => {
    const { store, pump, frame } = setup();
    store.getState().mergeNewestPage({ runs: [diamond().run], next: null });
    pump.push(persisted(2, { type: 'run.finished', attempt: 1, status: 'failed', error: { code: 'PHASE_FAILED', message: 'x' } }));
    pump.push(persisted(2, { type: 'run.finished', attempt: 1, status: 'succeeded' }));
    frame();
    expect(store.getState().runs[0]).toMatchObject({ status: 'failed', lastSeq: 2 });
  });
});
