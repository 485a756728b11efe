/**
 * The runs list with 10,000 runs (issue 10): only the rows in view are in the DOM, older
 * runs load as the list scrolls, and a run started meanwhile (by another process, the
 * command line) shows up at the top without moving the rows the user is looking at.
 * The database is seeded with one SQL transaction before the server that is tested starts.
 */
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';

const RUNS = 10_000;
/** Rows the DOM may hold at once: the ones in view plus the virtualizer's overscan. */
const MAX_ROWS = 60;
const CLI = join(import.meta.dirname, '..', 'bin', 'waymark.mjs');

const idOf = (n: number) => `seed${String(n).padStart(6, '0')}`;

/** Finished runs, one a minute up to an hour ago, newest `seed009999`; every 250th interrupted, every 100th failed. */
function seed(path: string): { interrupted: number } {
  const db = new Database(path);
  const start = Date.now() - 3_600_000 - RUNS * 60_000;
  let interrupted = 0;
  try {
    const run = db.prepare(`INSERT INTO runs (id, flow_name, flow_file, status, inputs_json, created_at, updated_at, finished_at, attempt, last_seq)
                            VALUES (?, ?, NULL, ?, '{}', ?, ?, ?, 1, 0)`);
    const attempt = db.prepare(`INSERT INTO run_attempts (run_id, attempt, flow_source, started_at, finished_at, status, pid) VALUES (?, 1, 'name: seeded\n', ?, ?, ?, 1)`);
    db.transaction(() => {
      for (let n = 0; n < RUNS; n++) {
        const status = n % 250 === 3 ? 'interrupted' : n % 100 === 7 ? 'failed' : 'succeeded';
        if (status === 'interrupted') interrupted++;
        const at = start + n * 60_000;
        run.run(idOf(n), `seeded-${n % 7}`, status, at, at + 5_000, at + 5_000);
        attempt.run(idOf(n), at, at + 5_000, status);
      }
    })();
  } finally {
    db.close();
  }
  return { interrupted };
}

/** `waymark run hello.yaml` in a process of its own; returns the run's id once it finished. */
async function runHello(db: string, root: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'run', join(root, 'hello.yaml'), '--input', 'name=List', '--db', db, '--json']);
  return (JSON.parse(stdout) as { runId: string }).runId;
}

const rows = (page: Page) => page.locator('[data-testid="runs-list"] [data-testid^="run-row-"]');

/** The id of the first row whose top is inside the scrolling box, and where it is. */
async function topRow(scroller: Locator): Promise<{ id: string; y: number }> {
  return scroller.evaluate((box) => {
    const top = box.getBoundingClientRect().top;
    const all = [...box.querySelectorAll<HTMLElement>('[data-testid^="run-row-"]')];
    const first = all.map((el) => ({ id: el.dataset.testid ?? '', y: el.getBoundingClientRect().top })).filter((r) => r.y >= top).sort((a, b) => a.y - b.y)[0];
    return first ?? { id: '', y: 0 };
  });
}

test('10,000 runs: a bounded DOM, older runs on scroll, a new run at the top', async ({ page, waymark }) => {
  // The server started by the fixture created the schema; the tested one starts after the seed.
  await waymark.kill9(waymark.server);
  const { interrupted } = seed(waymark.db);
  const server = await waymark.startServer();

  await page.goto(server.url);
  const scroller = page.getByTestId('runs-list');
  await expect(page.getByTestId(`run-row-${idOf(RUNS - 1)}`)).toBeVisible();
  await expect(page.getByTestId('runs-count')).toHaveText('200+');
  // Interrupted runs far beyond the first page count too.
  await expect(page.getByTestId('interrupted-notice')).toContainText(`${interrupted} runs were interrupted`);
  expect(await rows(page).count()).toBeLessThanOrEqual(MAX_ROWS);

  // Scrolling to the end of what is loaded loads the next pages; the DOM stays bounded.
  for (const loaded of ['400+', '600+']) {
    await scroller.evaluate((box) => box.scrollTo({ top: box.scrollHeight }));
    await expect(page.getByTestId('runs-count')).toHaveText(loaded);
  }
  await expect(page.getByTestId(`run-row-${idOf(RUNS - 400)}`)).toBeAttached();
  expect(await rows(page).count()).toBeLessThanOrEqual(MAX_ROWS);
  await expect(page.getByTestId(`run-row-${idOf(RUNS - 1)}`)).not.toBeAttached();

  // Keyboard: End and Home move the focus to the last loaded and the first run.
  const middle = rows(page).nth(5).locator('.run-row-main');
  await middle.focus();
  await page.keyboard.press('Home');
  await expect(page.getByTestId(`run-row-${idOf(RUNS - 1)}`).locator('.run-row-main')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId(`run-row-${idOf(RUNS - 2)}`).locator('.run-row-main')).toBeFocused();

  // Scrolled down, a run started by another process arrives above: the rows in view stay put.
  await scroller.evaluate((box) => box.scrollTo({ top: 5_000 }));
  await expect.poll(async () => (await topRow(scroller)).id).not.toBe('');
  const before = await topRow(scroller);
  const runId = await runHello(waymark.db, waymark.root);
  await expect(page.getByTestId('runs-count')).toHaveText('601+');
  const after = await topRow(scroller);
  expect(after.id).toBe(before.id);
  expect(Math.abs(after.y - before.y)).toBeLessThanOrEqual(1);

  // At the top, it is the first row, with its final status; the next new run shows above it at once.
  await scroller.evaluate((box) => box.scrollTo({ top: 0 }));
  await expect(rows(page).first()).toHaveAttribute('data-testid', `run-row-${runId}`);
  await expect(page.getByTestId(`run-row-${runId}`)).toHaveAttribute('data-status', 'succeeded');
  const next = await runHello(waymark.db, waymark.root);
  await expect(rows(page).first()).toHaveAttribute('data-testid', `run-row-${next}`);
  await expect(page.getByTestId(`run-row-${next}`)).toBeInViewport();
  expect(await scroller.evaluate((box) => box.scrollTop)).toBe(0);
  expect(await rows(page).count()).toBeLessThanOrEqual(MAX_ROWS);
});
