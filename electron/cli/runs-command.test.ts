/**
 * `waymark runs` pages (SPEC §6), through real `waymark` processes: the newest 50 by
 * default, `--limit N`, `--all`, `--status S`, and usage errors (exit 2) that say what
 * is accepted.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_STATUSES } from '../../shared/status';
import { newRun } from '../store/conformance/fixtures';
import { SqliteStore } from '../store/sqlite-store';
import { cli as cliOn } from '../testing/cli-process';
import { tempDir, type TempDir } from '../testing/temp-dir';

const OWNER = { id: 'owner-test', pid: process.pid, host: hostname() };
const RUNS = 60;
let dir: TempDir;
let db: string;

/** run-000 … run-059, oldest first; every third one failed, the others succeeded. */
const statusOf = (i: number) => (i % 3 === 0 ? 'failed' : 'succeeded');
const idOf = (i: number) => `run-${String(i).padStart(3, '0')}`;

beforeAll(async () => {
  dir = tempDir('waymark-runs-');
  db = join(dir.path, 'runs.db');
  const store = await SqliteStore.open(db);
  try {
    for (let i = 0; i < RUNS; i += 1) {
      await store.createRun(newRun(idOf(i)), OWNER, 1_000 + i);
      const error = statusOf(i) === 'failed' ? { error: { code: 'PHASE_FAILED' as const, message: 'phase "research" failed' } } : {};
      await store.commit(idOf(i), OWNER, [{ type: 'run.finished', attempt: 1, status: statusOf(i), ...error }], 1_000 + i);
    }
  } finally {
    await store.close();
  }
});
afterAll(() => dir.remove());

/** `waymark runs ARGS` on the test database. */
const cli = (args: string[]) => cliOn(db, ['runs', '--db', db, ...args]);

const ids = (args: string[]): string[] => {
  const r = cli([...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { runId: string }[]).map((run) => run.runId);
};
const newest = (n: number, keep: (i: number) => boolean = () => true) =>
  Array.from({ length: RUNS }, (_, i) => RUNS - 1 - i).filter(keep).slice(0, n).map(idOf);

describe('waymark runs', () => {
  it('lists the newest 50 by default, --limit N of them, or --all', () => {
    expect(ids([])).toEqual(newest(50));
    expect(ids(['--limit', '3'])).toEqual(newest(3));
    expect(ids(['--all'])).toEqual(newest(RUNS));
    const table = cli(['--limit', '2']);
    expect(table.stdout.split('\n').filter((l) => l.startsWith('run-')).map((l) => l.split(' ')[0])).toEqual(newest(2));
    expect(table.stdout).toContain('Showing the newest 2; there are more (--limit N or --all).');
    expect(cli(['--all']).stdout).not.toContain('there are more');
  });

  it('--status keeps the runs in that status, before the limit applies', () => {
    expect(ids(['--status', 'failed', '--limit', '4'])).toEqual(newest(4, (i) => statusOf(i) === 'failed'));
    expect(ids(['--status', 'failed', '--all'])).toHaveLength(RUNS / 3);
    expect(ids(['--status', 'waiting'])).toEqual([]);
    expect(cli(['--status', 'cancelled']).stdout).toBe('No cancelled runs.\n');
  });

  it('a bad --limit or --status, or --limit with --all, is a usage error (exit 2) saying what is accepted', () => {
    for (const bad of ['abc', '0', '-3', '2.5', '']) {
      const r = cli(['--limit', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain(`argument '${bad}' is invalid. expected a whole number of runs, 1 or more`);
      expect(r.stdout).toBe('');
    }
    const status = cli(['--status', 'done']);
    expect(status.code).toBe(2);
    expect(status.stderr).toContain(`argument 'done' is invalid. Allowed choices are ${RUN_STATUSES.join(', ')}.`);
    const both = cli(['--limit', '3', '--all']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("option '--all' cannot be used with option '--limit <n>'");
  });
});
