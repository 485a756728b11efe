/**
 * The recorded trace behind "a snapshot plus the events after it equals a fresh
 * snapshot" (STYLE rule 9). The store conformance case (electron/store/conformance/
 * replay.ts) drives a multi-attempt run through each store, records what the store
 * answered after every write, and writes the trace to `replay-trace.json`; every store
 * must record the same trace. The renderer's test replays that file through its own
 * reducer, since renderer/ may not import the stores.
 */
import type { PersistedEvent } from '../events';
import type { PhaseRecord, RunRecord } from '../records';
import type { RunSnapshot } from '../run-reducer';

export interface ReplayTrace {
  /** `getRun` + `getPhases` right after each write of the scenario, oldest first; the last is the end. */
  snapshots: RunSnapshot[];
  /** `eventsSince(runId, 0)` at the end. */
  events: PersistedEvent[];
}

/**
 * What events decide of a snapshot: everything but the run's `owner` (the lease, taken
 * by beginAttempt and refreshed by heartbeats: no event names the new owner) and its
 * `flowFile` (no event carries the file a resume started from).
 */
export function eventDerived(snapshot: RunSnapshot): { run: Omit<RunRecord, 'owner' | 'flowFile'>; phases: readonly PhaseRecord[] } {
  const { owner: _owner, flowFile: _flowFile, ...run } = snapshot.run;
  return { run, phases: snapshot.phases };
}

/** JSON with keys sorted at every level, so equal traces are equal text whatever built them. */
export function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(Object.keys(v).sort().flatMap((k) => {
      const field = (v as Record<string, unknown>)[k];
      return field === undefined ? [] : [[k, sort(field)]];
    }));
  };
  return `${JSON.stringify(sort(value), null, 2)}\n`;
}
