/** The runs list: every run the database knows, newest first, merged by `lastSeq`. */
import type { PersistedEvent } from '../../shared/events';
import type { RunRecord } from '../../shared/records';
import { applyToRunRecord } from './run-view';
import type { SliceCreator } from './types';

export interface RunsSlice {
  runs: readonly RunRecord[];
  runsLoaded: boolean;
  /** Runs found interrupted when the app opened: highlighted until resumed or dismissed. */
  interruptedAtLaunch: readonly string[];
  /** Replaces the list; a run keeps the newer of its two versions (by lastSeq). */
  setRuns(list: readonly RunRecord[]): void;
  upsertRun(run: RunRecord): void;
  applyRunEvents(events: readonly PersistedEvent[]): void;
  dismissInterrupted(): void;
}

const newestFirst = (a: RunRecord, b: RunRecord) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1);

export const createRunsSlice: SliceCreator<RunsSlice> = (set) => ({
  runs: [],
  runsLoaded: false,
  interruptedAtLaunch: [],
  setRuns: (list) =>
    set((s) => {
      const known = new Map(s.runs.map((r) => [r.id, r]));
      const runs = list.map((r) => {
        const mine = known.get(r.id);
        return mine && mine.lastSeq > r.lastSeq ? mine : r;
      });
      runs.sort(newestFirst);
      const interruptedAtLaunch = s.runsLoaded ? s.interruptedAtLaunch : runs.filter((r) => r.status === 'interrupted').map((r) => r.id);
      return { runs, runsLoaded: true, interruptedAtLaunch };
    }),
  upsertRun: (run) =>
    set((s) => {
      const i = s.runs.findIndex((r) => r.id === run.id);
      if (i >= 0 && (s.runs[i] as RunRecord).lastSeq > run.lastSeq) return s;
      const runs = i >= 0 ? s.runs.map((r) => (r.id === run.id ? run : r)) : [run, ...s.runs].sort(newestFirst);
      return { runs };
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
