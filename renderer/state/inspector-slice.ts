/** The phase inspector: which phase is open, and its transcript as loaded page by page. */
import type { TranscriptEntry } from '../../shared/records';
import type { SliceCreator } from './types';

export interface TranscriptState {
  runId: string;
  phaseId: string;
  entries: readonly TranscriptEntry[];
  /** Index to ask for next, or null when everything saved so far is loaded. */
  nextIndex: number | null;
  loading: boolean;
  error: string | null;
  /** Live entries that arrived while a page was loading; merged when it lands. */
  held: readonly TranscriptEntry[];
}

export interface InspectorSlice {
  selectedPhaseId: string | null;
  transcript: TranscriptState | null;
  selectPhase(phaseId: string | null): void;
  transcriptLoading(runId: string, phaseId: string): void;
  transcriptPage(runId: string, phaseId: string, entries: readonly TranscriptEntry[], nextIndex: number | null): void;
  transcriptFailed(runId: string, phaseId: string, message: string): void;
  /** A live entry: appended only when it is the next one and the saved ones are all loaded. */
  transcriptAppended(runId: string, entry: TranscriptEntry): void;
}

const matches = (t: TranscriptState | null, runId: string, phaseId: string): t is TranscriptState => t !== null && t.runId === runId && t.phaseId === phaseId;

export const createInspectorSlice: SliceCreator<InspectorSlice> = (set) => ({
  selectedPhaseId: null,
  transcript: null,
  selectPhase: (phaseId) => set((s) => (s.selectedPhaseId === phaseId ? s : { selectedPhaseId: phaseId, transcript: null })),
  transcriptLoading: (runId, phaseId) =>
    set((s) => ({
      transcript: matches(s.transcript, runId, phaseId)
        ? { ...s.transcript, loading: true, error: null }
        : { runId, phaseId, entries: [], nextIndex: 0, loading: true, error: null, held: [] },
    })),
  transcriptPage: (runId, phaseId, entries, nextIndex) =>
    set((s) => {
      if (!matches(s.transcript, runId, phaseId)) return s;
      const byIndex = new Map([...s.transcript.entries, ...entries].map((e) => [e.index, e]));
      // Held live entries past this page come again with the next one.
      for (const e of s.transcript.held) if (nextIndex === null || e.index < nextIndex) byIndex.set(e.index, e);
      const merged = [...byIndex.values()].sort((a, b) => a.index - b.index);
      return { transcript: { ...s.transcript, entries: merged, nextIndex, loading: false, held: [] } };
    }),
  transcriptFailed: (runId, phaseId, message) =>
    set((s) => (matches(s.transcript, runId, phaseId) ? { transcript: { ...s.transcript, loading: false, error: message } } : s)),
  transcriptAppended: (runId, entry) =>
    set((s) => {
      const t = s.transcript;
      if (!matches(t, runId, entry.phaseId)) return s;
      if (t.loading) return { transcript: { ...t, held: [...t.held, entry] } };
      if (t.nextIndex !== null) return s;
      const last = t.entries[t.entries.length - 1];
      if ((last ? last.index + 1 : 0) !== entry.index) return s;
      return { transcript: { ...t, entries: [...t.entries, entry] } };
    }),
});
