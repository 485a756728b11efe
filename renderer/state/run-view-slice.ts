/**
 * The open run: its domain state (run-view.ts), live streams that are never stored
 * (model text deltas, command output), and the graph layout computed from its structure.
 */
import type { RunDetail } from '../../shared/api';
import type { PersistedEvent } from '../../shared/events';
import type { Positions } from '../graph/layout';
import { GRAPH_RUN_RESET } from './graph-slice';
import { applyEvents, keepStructure, viewFromDetail, type RunView } from './run-view';
import type { SliceCreator } from './types';

/** Live, unsaved text of one phase; cleared when the phase starts again. */
export interface PhaseStream {
  /** Model text of the step in progress (cleared when the step lands in the transcript). */
  text: string;
  stdout: string;
  stderr: string;
}

/** One frame's worth of live chunks, already concatenated per phase. */
export interface StreamChunk {
  phaseId: string;
  kind: 'text' | 'stdout' | 'stderr';
  text: string;
}

/** Live text kept per phase and stream; older text is in the transcript or the saved tails. */
export const STREAM_LIMIT = 32 * 1024;

export interface RunViewSlice {
  openRunId: string | null;
  /** null while the snapshot loads. */
  view: RunView | null;
  viewError: string | null;
  streams: Readonly<Record<string, PhaseStream>>;
  /** Positions for `layoutFor`; stale positions stay drawn until the new ones arrive. */
  positions: Positions | null;
  layoutFor: RunView['structure'] | null;
  openRun(runId: string | null): void;
  setSnapshot(detail: RunDetail): void;
  setViewError(runId: string, message: string): void;
  applyViewEvents(events: readonly PersistedEvent[]): void;
  appendStreams(runId: string, chunks: readonly StreamChunk[]): void;
  setLayout(structure: RunView['structure'], positions: Positions): void;
}

export const createRunViewSlice: SliceCreator<RunViewSlice> = (set) => ({
  openRunId: null,
  view: null,
  viewError: null,
  streams: {},
  positions: null,
  layoutFor: null,
  openRun: (runId) =>
    set((s) =>
      s.openRunId === runId
        ? s
        : { openRunId: runId, view: null, viewError: null, streams: {}, positions: null, layoutFor: null, selectedPhaseId: null, transcript: null, ...GRAPH_RUN_RESET },
    ),
  setSnapshot: (detail) =>
    set((s) => {
      if (s.openRunId !== detail.run.id) return s;
      const next = viewFromDetail(detail);
      if (s.view && s.view.lastSeq > next.lastSeq) return s;
      return { view: { ...next, structure: keepStructure(s.view?.structure, next.structure) }, viewError: null };
    }),
  setViewError: (runId, message) => set((s) => (s.openRunId === runId ? { viewError: message } : s)),
  applyViewEvents: (events) =>
    set((s) => {
      if (!s.view) return s;
      const view = applyEvents(s.view, events);
      if (view === s.view) return s;
      const restarted = events.filter((e) => e.type === 'phase.started' && e.runId === view.runId).map((e) => (e as { phaseId: string }).phaseId);
      const committed = events.filter((e) => e.type === 'transcript.appended' && e.role === 'assistant' && e.runId === view.runId).map((e) => (e as { phaseId: string }).phaseId);
      return { view, streams: resetStreams(s.streams, restarted, committed) };
    }),
  appendStreams: (runId, chunks) =>
    set((s) => {
      if (s.openRunId !== runId || chunks.length === 0) return s;
      const streams = { ...s.streams };
      for (const c of chunks) {
        const prev = streams[c.phaseId] ?? { text: '', stdout: '', stderr: '' };
        streams[c.phaseId] = { ...prev, [c.kind]: clip(prev[c.kind] + c.text) };
      }
      return { streams };
    }),
  setLayout: (structure, positions) => set((s) => (s.view?.structure === structure ? { positions, layoutFor: structure } : s)),
});

function resetStreams(streams: RunViewSlice['streams'], restarted: string[], committed: string[]): RunViewSlice['streams'] {
  if (restarted.length === 0 && committed.length === 0) return streams;
  const next = { ...streams };
  for (const id of restarted) delete next[id];
  for (const id of committed) if (next[id]) next[id] = { ...(next[id] as PhaseStream), text: '' };
  return next;
}

function clip(text: string): string {
  return text.length > STREAM_LIMIT ? text.slice(text.length - STREAM_LIMIT) : text;
}
