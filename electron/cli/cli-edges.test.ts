/**
 * Edges of the CLI a hostile or hurried user hits: a closed pipe, a database path that
 * does not exist, a flow whose workspace cannot be created.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../store/sqlite-store';
import { newRun } from '../store/conformance/fixtures';
import { tempDir, type TempDir } from '../testing/temp-dir';

const BIN = resolve(__dirname, '../../bin/waymark.mjs');
let dir: TempDir;

beforeEach(async () => {
  dir = tempDir('waymark-cli-edges-');
});
afterEach(() => dir.remove());

/** Runs the CLI with a private config folder, so the default database lives in the temp dir. */
function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const base: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: join(dir.path, 'config') };
  delete base.WAYMARK_DB;
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...base, ...env }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('read-only commands never create a database', () => {
  it('runs and show on a --db path that does not exist say so, exit 2 and create nothing', async () => {
    const missing = join(dir.path, 'nope', 'typo.db');
    for (const args of [['runs'], ['runs', '--json'], ['show', 'run-x']]) {
      const r = cli([...args, '--db', missing]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`no Waymark database at ${missing}`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    const viaEnv = cli(['runs'], { WAYMARK_DB: missing });
    expect(viaEnv.code).toBe(2);
    expect(existsSync(join(dir.path, 'nope'))).toBe(false);
  });

  it('without --db, a first `runs` lists nothing and creates no data folder', async () => {
    const r = cli(['runs']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No runs yet');
    expect(JSON.parse(cli(['runs', '--json']).stdout)).toEqual([]);
    const show = cli(['show', 'run-x']);
    expect(show.code).toBe(2);
    expect(show.stderr).toContain('run-x');
    expect(existsSync(join(dir.path, 'config'))).toBe(false);
  });
});

describe('a closed pipe', () => {
  it('`waymark runs | head -1` prints one line and no EPIPE stack trace', async () => {
    const db = join(dir.path, 'many.db');
    const store = await SqliteStore.open(db);
    for (let i = 0; i < 3000; i += 1) await store.createRun(newRun(`run-${String(i).padStart(5, '0')}`), { id: 'o', pid: 1, host: 'h' }, 1_000 + i);
    await store.close();
    // 3,000 rows are far more than a pipe holds, so the writer is still writing when head exits.
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" runs --limit 3000 --db "${db}" | head -1; exit 0`], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toContain('RUN');
    expect(r.stderr).not.toContain('EPIPE');
    expect(r.stderr).toBe('');
  });
});

describe('no stuck runs', () => {
  it('a workspace that cannot be created refuses the run before it exists', async () => {
    const db = join(dir.path, 'w.db');
    dir.file('not-a-dir', 'x');
    const flow = dir.file('flow.yaml', 'name: w\nworkdir: not-a-dir/sub\nphases:\n  - { id: a, kind: command, run: "true" }\n');
    const r = cli(['run', flow, '--json', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot create the workspace');
    expect(JSON.parse(cli(['runs', '--json', '--db', db]).stdout)).toEqual([]);
  });

  it('a resume whose workspace cannot be created leaves the run resumable, not running', async () => {
    const db = join(dir.path, 'r.db');
    const flow = dir.file('flow.yaml', 'name: r\nworkdir: ws\nphases:\n  - { id: a, kind: command, run: "exit 1" }\n');
    const first = cli(['run', flow, '--json', '--db', db]);
    expect(first.code).toBe(1);
    const runId = JSON.parse(first.stdout).runId as string;
    // The workspace becomes a file: the resume must refuse before it takes the run.
    rmSync(join(dir.path, 'ws'), { recursive: true });
    dir.file('ws', 'not a folder');
    const again = cli(['resume', runId, '--json', '--db', db]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('cannot create the workspace');
    const shown = JSON.parse(cli(['show', runId, '--json', '--db', db]).stdout);
    expect(shown.status).toBe('failed');
  });
});
