/**
 * How the open run is looked at: as the graph or as a list of phases, the search box's
 * query, the list's status filter, and requests to zoom the graph to a phase. Opening
 * another run clears the query and any pending request; the display and the filter
 * stay, as the user left them.
 */
import type { PhaseStatus } from '../../shared/status';
import type { SliceCreator } from './types';

export type RunDisplay = 'graph' | 'list';

/** A request to bring a phase into view on the graph; a new `seq` repeats it for the same phase. */
export interface FocusRequest {
  phaseId: string;
  seq: number;
}

export interface GraphSlice {
  runDisplay: RunDisplay;
  phaseQuery: string;
  /** Statuses the phase list keeps; empty keeps all. */
  statusFilter: readonly PhaseStatus[];
  focusRequest: FocusRequest | null;
  setRunDisplay(display: RunDisplay): void;
  setPhaseQuery(query: string): void;
  toggleStatusFilter(status: PhaseStatus): void;
  clearStatusFilter(): void;
  /** Zooms the graph to `phaseId` (now, or when the graph is shown next). */
  focusPhase(phaseId: string): void;
}

/** What opening another run resets (run-view-slice's openRun applies it). */
export const GRAPH_RUN_RESET = { phaseQuery: '', focusRequest: null } as const satisfies Partial<GraphSlice>;

export const createGraphSlice: SliceCreator<GraphSlice> = (set) => ({
  runDisplay: 'graph',
  phaseQuery: '',
  statusFilter: [],
  focusRequest: null,
  setRunDisplay: (runDisplay) => set({ runDisplay }),
  setPhaseQuery: (phaseQuery) => set({ phaseQuery }),
  toggleStatusFilter: (status) =>
    set((s) => ({ statusFilter: s.statusFilter.includes(status) ? s.statusFilter.filter((x) => x !== status) : [...s.statusFilter, status] })),
  clearStatusFilter: () => set({ statusFilter: [] }),
  focusPhase: (phaseId) => set((s) => ({ focusRequest: { phaseId, seq: (s.focusRequest?.seq ?? 0) + 1 } })),
});
