/**
 * The order of the runs list and how it is paged (keyset paging). Runs are listed
 * newest first: `createdAt` descending, ties broken by `id` descending in code-unit
 * order (SQLite's BINARY collation, PostgreSQL's `COLLATE "C"`). A run's place never
 * changes, because neither key does, so a cursor taken from the last run of a page
 * names exactly where the next page starts, however many runs were created meanwhile:
 * no run is skipped or repeated.
 */
import type { RunRecord } from './records';

/** A place in the runs list: the runs listed after it are older than it, or as old with a smaller id. */
export interface RunsCursor {
  createdAt: number;
  id: string;
}

/** One page of the runs list; `next` is the cursor of the following page, null when this page holds the oldest run. */
export interface RunsPage {
  runs: RunRecord[];
  next: RunsCursor | null;
}

/** Sort comparator of the runs list: newest first, ties by id descending. */
export function compareNewestFirst(a: RunsCursor, b: RunsCursor): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/** Whether `run` is listed after `cursor` (belongs to a page that starts there). */
export function isListedAfter(run: RunsCursor, cursor: RunsCursor): boolean {
  return compareNewestFirst(cursor, run) < 0;
}

export function cursorOf(run: RunsCursor): RunsCursor {
  return { createdAt: run.createdAt, id: run.id };
}

/**
 * A page of at most `limit` runs from a read of up to `limit + 1` (newest first): the
 * extra run, when there is one, only tells that another page follows.
 */
export function pageOf(found: readonly RunRecord[], limit: number): RunsPage {
  const runs = found.slice(0, limit);
  const last = runs[runs.length - 1];
  return { runs, next: found.length > limit && last ? cursorOf(last) : null };
}
