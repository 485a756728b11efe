/**
 * Honest outcomes when the store fails (SPEC §3): the run goes on, the user is told,
 * and no process reports an outcome the store does not hold. The failures are real
 * SQLite errors: writes refused on the store's writer connection (`query_only`, which
 * fails every commit like a full disk does, but deterministically) and a write lock
 * held by another connection.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../shared/events';
import { BUSY_TIMEOUT_MS } from '../store/database';
import { SqliteStore } from '../store/sqlite-store';
import { tempDir, waitFor, type TempDir } from '../testing/temp-dir';
import { Engine } from './engine';

const BIN = resolve(__dirname, '../../bin/waymark.mjs');
let dir: TempDir;
let store: SqliteStore;
let events: RunEvent[];

beforeEach(async () => {
  dir = tempDir('waymark-store-fail-');
  store = await SqliteStore.open(join(dir.path, 'test.db'));
  events = [];
});
afterEach(async () => {
  await store.close();
  dir.remove();
});

function engine(options: { finalSaveMs?: number } = {}): Engine {
  const e = new Engine({ store, storeRetryMs: 50, ...options });
  e.onEvent((event) => events.push(event));
  return e;
}

/** From now on every commit of the engine fails (SQLITE_READONLY, on the store's writer thread); `free()` undoes it. */
async function breakWrites(): Promise<{ free(): Promise<unknown> }> {
  await store.pragma('query_only = ON');
  return { free: () => store.pragma('query_only = OFF') };
}

/** The first phase waits for the test to create `go`, so the failure starts mid-phase. */
const WAIT_FOR_GO = 'while [ ! -e go ]; do sleep 0.02; done; echo a';
const flow = (first: string) => `name: f\nphases:\n  - { id: a, kind: command, run: "${first}" }\n  - { id: b, kind: command, depends_on: [a], run: "echo {{phases.a.output}}-b" }\n`;

describe('a store that fails mid-run', () => {
  it('writes failing until the end: the outcome is interrupted with STORE_FAILED, never the unsaved success', async () => {
    const e = engine({ finalSaveMs: 300 });
    const handle = await e.startRun({ flowFile: dir.file('f.yaml', flow(WAIT_FOR_GO)) });
    await waitFor(() => events.some((ev) => ev.type === 'phase.started'), 5_000, 'the first phase');
    const writes = await breakWrites();
    dir.file('go', '');
    const outcome = await handle.done;
    await writes.free();
    expect(outcome.status).toBe('interrupted');
    expect(outcome.error).toMatchObject({ code: 'STORE_FAILED', message: expect.stringContaining('could not be saved') });
    expect(events.find((ev) => ev.type === 'store.failed')).toMatchObject({ message: expect.stringContaining('the database is read-only') });
    // What the database holds: still running, owned by a process that will be gone.
    expect((await store.getRun(handle.runId))?.status).toBe('running');
    // The next Waymark process reaps it: everyone now sees what this process reported.
    await store.reapOrphans(() => false, Date.now(), 30_000);
    expect((await store.getRun(handle.runId))?.status).toBe('interrupted');
  });

  it('writes failing, then working again: the backlog is saved in order, the user is told both times, the run succeeds', async () => {
    const e = engine();
    const handle = await e.startRun({ flowFile: dir.file('f.yaml', flow(WAIT_FOR_GO)) });
    await waitFor(() => events.some((ev) => ev.type === 'phase.started'), 5_000, 'the first phase');
    const disk = await breakWrites();
    dir.file('go', '');
    await waitFor(() => events.some((ev) => ev.type === 'store.failed'), 5_000, 'the failure to be reported');
    await disk.free();
    const outcome = await handle.done;
    expect(outcome).toMatchObject({ status: 'succeeded', error: null });
    expect(events.some((ev) => ev.type === 'store.recovered')).toBe(true);
    expect((await store.getRun(handle.runId))?.status).toBe('succeeded');
    expect((await store.getPhases(handle.runId)).map((p) => [p.phaseId, p.status, p.output])).toEqual([
      ['a', 'succeeded', 'a'],
      ['b', 'succeeded', 'a-b'],
    ]);
    const seqs = (await store.eventsSince(handle.runId, 0, 1_000)).map((ev) => ev.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });
});

describe('a database locked by another process (real CLI)', () => {
  function startCli(args: string[]) {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    return { exit, out: () => ({ stdout, stderr }) };
  }

  it('warns within seconds, then finishes once the lock is released', async () => {
    const db = join(dir.path, 'test.db');
    const f = dir.file('f.yaml', flow('while [ ! -e go ]; do sleep 0.05; done; echo a'));
    const cli = startCli(['run', f, '--json', '--db', db]);
    await waitFor(() => cli.out().stderr.includes('a: started'), 60_000, 'the run to start');
    const locker = new Database(db);
    locker.exec('BEGIN IMMEDIATE');
    const lockedAt = Date.now();
    dir.file('go', '');
    // Warned while the commit still waits for the lock (on the store's writer thread), not when it fails.
    await waitFor(() => cli.out().stderr.includes('waiting for the database'), 10_000, 'the lock warning');
    const warnedAfter = Date.now() - lockedAt;
    expect(cli.out().stderr).toContain('locked by another process');
    locker.exec('COMMIT');
    locker.close();
    expect(await cli.exit).toBe(0);
    expect(JSON.parse(cli.out().stdout).status).toBe('succeeded');
    expect(warnedAfter).toBeLessThan(BUSY_TIMEOUT_MS);
    expect(cli.out().stderr).not.toContain('could not save progress');
  });

  it('locked until the end: exit code, --json status and the stored status agree', async () => {
    const db = join(dir.path, 'test.db');
    const f = dir.file('f.yaml', 'name: f\nphases:\n  - { id: a, kind: command, run: "while [ ! -e go ]; do sleep 0.05; done; echo a" }\n');
    const cli = startCli(['run', f, '--json', '--db', db]);
    await waitFor(() => cli.out().stderr.includes('a: started'), 60_000, 'the run to start');
    const locker = new Database(db);
    locker.exec('BEGIN IMMEDIATE');
    dir.file('go', '');
    const code = await cli.exit;
    locker.exec('COMMIT');
    locker.close();
    const doc = JSON.parse(cli.out().stdout);
    expect(code).toBe(3);
    expect(doc.status).toBe('interrupted');
    expect(doc.error).toContain('could not be saved');
    expect(cli.out().stderr).toContain(`waymark resume ${doc.runId}`);
    // Any reader now reaps the dead owner's run and holds the same status.
    await store.close();
    store = await SqliteStore.open(db);
    await store.reapOrphans((pid) => pid === process.pid, Date.now(), 30_000);
    expect((await store.getRun(doc.runId))?.status).toBe('interrupted');
  });
});
