/**
 * The renderer's side of "a snapshot plus the events after it equals a fresh snapshot":
 * the trace every store records in its conformance case (shared/testing/replay-trace.ts)
 * replayed through the run view's reducer, from each snapshot the store gave.
 */
import { describe, expect, it } from 'vitest';
import type { PersistedEvent } from '../../shared/events';
import type { RunSnapshot } from '../../shared/run-reducer';
import { eventDerived, type ReplayTrace } from '../../shared/testing/replay-trace';
import recorded from '../../shared/testing/replay-trace.json';
import { applyEvents, viewFromDetail, type RunView } from './run-view';

const trace = recorded as unknown as ReplayTrace;
const end = trace.snapshots[trace.snapshots.length - 1] as RunSnapshot;

const viewOf = (snapshot: RunSnapshot): RunView =>
  viewFromDetail({ run: snapshot.run, phases: [...snapshot.phases], attempts: [], lastSeq: snapshot.run.lastSeq, frontier: [], live: true });
const snapshotOf = (view: RunView): RunSnapshot => ({ run: view.run, phases: view.order.map((id) => view.phases[id]).filter((p) => p !== undefined) });
const after = (seq: number): PersistedEvent[] => trace.events.filter((e) => e.seq > seq);

describe('run view replay of the stores\' trace', () => {
  it('is a real multi-attempt trace', () => {
    expect(trace.snapshots.length).toBeGreaterThan(10);
    expect(new Set(trace.events.filter((e) => e.type === 'run.started').map((e) => e.attempt))).toEqual(new Set([1, 2, 3]));
  });

  for (const snapshot of trace.snapshots) {
    it(`the snapshot at seq ${snapshot.run.lastSeq} plus the events after it equals the last snapshot`, () => {
      const view = applyEvents(viewOf(snapshot), after(snapshot.run.lastSeq));
      expect(eventDerived(snapshotOf(view))).toEqual(eventDerived(end));
      expect(view.lastSeq).toBe(end.run.lastSeq);
      expect(view.structure).toEqual(viewOf(end).structure);
      expect(view.live).toBe(snapshot.run.lastSeq === end.run.lastSeq);
    });
  }

  it('applied one event at a time, as frames may split them, it ends in the same place', () => {
    let view = viewOf(trace.snapshots[0] as RunSnapshot);
    for (const event of after(view.lastSeq)) view = applyEvents(view, [event]);
    expect(eventDerived(snapshotOf(view))).toEqual(eventDerived(end));
  });
});
