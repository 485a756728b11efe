/**
 * Part of benchmark 5: a page of the runs list on a SQLite database of 10,000 runs, read
 * as the `runs.list` handler reads it (`listRuns(limit + 1, status, before)`, then
 * `pageOf`), in process on the read connection. The first page, one in the middle and the
 * last are timed: keyset paging makes a deep page cost what the first one does.
 */
import { join } from 'node:path';
import { pageOf, type RunsCursor, type RunsPage } from '../shared/runs-page';
import { SqliteStore } from '../electron/store/sqlite-store';
import { databaseOf } from './startup-fixtures';
import { median, repeat, withTempDir } from './util';

export const LIST_RUNS = 10_000;
export const PAGE_SIZE = 200;

export interface RunsPageResult {
  runs: number;
  pageSize: number;
  firstMs: number;
  middleMs: number;
  lastMs: number;
  /** Reading every page, first to last, once. */
  allPagesMs: number;
  pages: number;
}

export async function runsListPages(reps: number): Promise<RunsPageResult> {
  return withTempDir('runs-page', async (dir) => {
    const path = join(dir, 'runs.db');
    await databaseOf(path, LIST_RUNS, 1);
    const store = await SqliteStore.open(path);
    try {
      const page = async (before: RunsCursor | undefined): Promise<RunsPage> => pageOf(await store.listRuns(PAGE_SIZE + 1, undefined, before), PAGE_SIZE);
      const cursors: (RunsCursor | undefined)[] = [undefined];
      for (let next = (await page(undefined)).next; next; next = (await page(next)).next) cursors.push(next);
      // The walk above warmed the cache and the statements; this one is timed.
      const walkStart = performance.now();
      let pages = 1;
      for (let next = (await page(undefined)).next; next; next = (await page(next)).next) pages++;
      const allPagesMs = performance.now() - walkStart;
      const timed = async (before: RunsCursor | undefined) =>
        median(await repeat(3, reps, async () => {
          const start = performance.now();
          await page(before);
          return performance.now() - start;
        }));
      return {
        runs: LIST_RUNS,
        pageSize: PAGE_SIZE,
        firstMs: await timed(cursors[0]),
        middleMs: await timed(cursors[Math.floor(cursors.length / 2)]),
        lastMs: await timed(cursors[cursors.length - 1]),
        allPagesMs,
        pages,
      };
    } finally {
      await store.close();
    }
  });
}
