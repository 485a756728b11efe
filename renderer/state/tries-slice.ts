/**
 * The inspected phase's tries (tries.ts) and which one the inspector shows: `selectedTry`
 * null is the latest. Both are keyed by run and phase, so opening another phase or run
 * never shows the tries of the one before.
 */
import type { PersistedEvent } from '../../shared/events';
import type { TryRecord } from '../../shared/records';
import { loadedTries, loadingTries, triesAfterEvents, type TriesState } from './tries';
import type { SliceCreator } from './types';

export interface TriesSlice {
  tries: TriesState | null;
  /** The try the inspector shows; null (or another phase's) shows the latest. */
  selectedTry: { runId: string; phaseId: string; attempt: number } | null;
  triesLoading(runId: string, phaseId: string): void;
  triesLoaded(runId: string, phaseId: string, list: readonly TryRecord[]): void;
  triesFailed(runId: string, phaseId: string, message: string): void;
  applyTriesEvents(events: readonly PersistedEvent[]): void;
  selectTry(runId: string, phaseId: string, attempt: number | null): void;
}

const matches = (t: TriesState | null, runId: string, phaseId: string): t is TriesState => t !== null && t.runId === runId && t.phaseId === phaseId;

export const createTriesSlice: SliceCreator<TriesSlice> = (set) => ({
  tries: null,
  selectedTry: null,
  triesLoading: (runId, phaseId) => set({ tries: loadingTries(runId, phaseId) }),
  triesLoaded: (runId, phaseId, list) => set((s) => (matches(s.tries, runId, phaseId) ? { tries: loadedTries(s.tries, list) } : s)),
  triesFailed: (runId, phaseId, message) => set((s) => (matches(s.tries, runId, phaseId) ? { tries: { ...s.tries, loading: false, error: message, held: [] } } : s)),
  applyTriesEvents: (events) =>
    set((s) => {
      if (!s.tries) return s;
      const tries = triesAfterEvents(s.tries, events);
      return tries === s.tries ? s : { tries };
    }),
  selectTry: (runId, phaseId, attempt) => set({ selectedTry: attempt === null ? null : { runId, phaseId, attempt } }),
});

/** The try number the inspector shows for `phaseId` of `runId`, or null for the latest. */
export function shownTry(s: Pick<TriesSlice, 'selectedTry'>, runId: string | null, phaseId: string | null): number | null {
  const t = s.selectedTry;
  return t && t.runId === runId && t.phaseId === phaseId ? t.attempt : null;
}

/** The earlier try the inspector shows instead of the phase as it stands, if one is chosen (not the latest: `latest`). */
export function earlierTry(s: Pick<TriesSlice, 'selectedTry' | 'tries'> & { openRunId: string | null; selectedPhaseId: string | null }, latest: number): TryRecord | undefined {
  const attempt = shownTry(s, s.openRunId, s.selectedPhaseId);
  if (attempt === null || attempt === latest || !s.tries || s.tries.runId !== s.openRunId || s.tries.phaseId !== s.selectedPhaseId) return undefined;
  return s.tries.list.find((t) => t.attempt === attempt);
}
