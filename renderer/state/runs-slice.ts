/**
 * The runs list: the runs loaded so far, newest first (shared/runs-page.ts), a page at a
 * time. The newest page is reloaded whenever runs appear or change hands; older pages
 * load as the list is scrolled, from the cursor `runsNext`. A run's place never changes,
 * so pages merge by id: of two versions of a run, the one with the higher `lastSeq` wins.
 */
import type { PersistedEvent } from '../../shared/events';
import type { RunRecord } from '../../shared/records';
import { compareNewestFirst, isListedAfter, type RunsCursor, type RunsPage } from '../../shared/runs-page';
import { applyToRunRecord } from './run-view';
import type { SliceCreator } from './types';

export interface RunsSlice {
  runs: readonly RunRecord[];
  runsLoaded: boolean;
  /** Where the next page of older runs starts; null once the oldest run is loaded. */
  runsNext: RunsCursor | null;
  /** A page of older runs is on its way. */
  runsLoadingMore: boolean;
  /** Why the last page of older runs failed to load; cleared when a page arrives. */
  runsMoreError: string | null;
  /** Runs found interrupted when the app opened: highlighted until resumed or dismissed. */
  interruptedAtLaunch: readonly string[];
  /**
   * Merges the newest page. The first one (at launch) also sets `interruptedAtLaunch`:
   * `interrupted` lists them all (a query of its own), else the page's interrupted runs.
   */
  mergeNewestPage(page: RunsPage, interrupted?: readonly string[]): void;
  /** Appends the page of older runs that starts at `from`; ignored when `from` is no longer `runsNext`. */
  appendOlderPage(page: RunsPage, from: RunsCursor): void;
  olderPageLoading(): void;
  olderPageFailed(message: string): void;
  upsertRun(run: RunRecord): void;
  applyRunEvents(events: readonly PersistedEvent[]): void;
  dismissInterrupted(): void;
}

type Known = Pick<RunsSlice, 'runs' | 'runsNext' | 'runsLoaded'>;

export const createRunsSlice: SliceCreator<RunsSlice> = (set) => ({
  runs: [],
  runsLoaded: false,
  runsNext: null,
  runsLoadingMore: false,
  runsMoreError: null,
  interruptedAtLaunch: [],
  mergeNewestPage: (page, interrupted) =>
    set((s) => {
      const { runs, runsNext } = withNewestPage(s, page);
      if (s.runsLoaded) return { runs, runsNext };
      const atLaunch = interrupted ?? page.runs.filter((r) => r.status === 'interrupted').map((r) => r.id);
      return { runs, runsNext, runsLoaded: true, interruptedAtLaunch: atLaunch };
    }),
  appendOlderPage: (page, from) =>
    set((s) => {
      if (!s.runsNext || compareNewestFirst(s.runsNext, from) !== 0) return { runsLoadingMore: false };
      return { runs: merge(s.runs, page.runs), runsNext: page.next, runsLoadingMore: false, runsMoreError: null };
    }),
  olderPageLoading: () => set({ runsLoadingMore: true, runsMoreError: null }),
  olderPageFailed: (message) => set({ runsLoadingMore: false, runsMoreError: message }),
  upsertRun: (run) =>
    set((s) => {
      const i = s.runs.findIndex((r) => r.id === run.id);
      if (i >= 0) {
        if ((s.runs[i] as RunRecord).lastSeq > run.lastSeq) return s;
        return { runs: s.runs.map((r) => (r.id === run.id ? run : r)) };
      }
      // A run beyond the loaded pages comes with its page, in its place.
      if (s.runsNext && isListedAfter(run, s.runsNext)) return s;
      return { runs: merge(s.runs, [run]) };
    }),
  applyRunEvents: (events) =>
    set((s) => {
      const byRun = new Map<string, PersistedEvent[]>();
      for (const e of events) {
        const list = byRun.get(e.runId);
        if (list) list.push(e);
        else byRun.set(e.runId, [e]);
      }
      let changed = false;
      const runs = s.runs.map((run) => {
        const mine = byRun.get(run.id);
        if (!mine) return run;
        const next = mine.reduce(applyToRunRecord, run);
        changed ||= next !== run;
        return next;
      });
      const resumed = new Set(events.filter((e) => e.type === 'run.started').map((e) => e.runId));
      const interruptedAtLaunch = resumed.size > 0 ? s.interruptedAtLaunch.filter((id) => !resumed.has(id)) : s.interruptedAtLaunch;
      return changed || interruptedAtLaunch !== s.interruptedAtLaunch ? { runs, interruptedAtLaunch } : s;
    }),
  dismissInterrupted: () => set({ interruptedAtLaunch: [] }),
});

/**
 * The list with the newest page merged in. The page covers every run from the newest down
 * to its last one. When it does not reach the newest run loaded before (more runs were
 * created meanwhile than a page holds), runs in between may be missing: the list starts
 * over from this page rather than show a gap.
 */
function withNewestPage(s: Known, page: RunsPage): Pick<Known, 'runs' | 'runsNext'> {
  const newestLoaded = s.runs[0];
  const last = page.runs[page.runs.length - 1];
  if (!s.runsLoaded || !newestLoaded) return { runs: merge([], page.runs), runsNext: page.next };
  if (page.next && last && isListedAfter(newestLoaded, last)) return { runs: merge([], page.runs), runsNext: page.next };
  return { runs: merge(s.runs, page.runs), runsNext: page.next ? s.runsNext : null };
}

/** `mine` and `incoming` as one list, newest first, each run once: the version with the higher lastSeq. */
function merge(mine: readonly RunRecord[], incoming: readonly RunRecord[]): RunRecord[] {
  const byId = new Map(mine.map((r) => [r.id, r]));
  for (const run of incoming) {
    const known = byId.get(run.id);
    if (!known || known.lastSeq <= run.lastSeq) byId.set(run.id, run);
  }
  // Both inputs are sorted already: the sort only merges them.
  return [...byId.values()].sort(compareNewestFirst);
}
