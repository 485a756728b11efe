/**
 * What the writer thread buys, shown against real processes and a real event loop:
 * - a lease kept alive by the writer thread survives a main thread blocked by long
 *   synchronous work, while another process reaps with a short stale window (and a
 *   lease beaten by a main-thread timer, the old way, does not: the control);
 * - `kill -9` in the middle of a burst of commits leaves a database that passes
 *   integrity_check and holds every commit that was acknowledged;
 * - the event loop keeps ticking while thousands of commits are written.
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, waitFor, type TempDir } from '../testing/temp-dir';
import { newRun, said, started } from './conformance/fixtures';
import { SqliteStore } from './sqlite-store';
import type { Owner } from './types';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STORE_URL = pathToFileURL(join(ROOT, 'electron/store/sqlite-store.ts')).href;

let dir: TempDir;
let path: string;
const children: ChildProcess[] = [];

beforeEach(() => {
  dir = tempDir('waymark-writer-proc-');
  path = join(dir.path, 'waymark.db');
});

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  dir.remove();
});

/** A Node process running `script` (an ES module that may import the store from STORE_URL); its stdout so far. */
function child(script: string): { out(): string; exit: Promise<number | null>; kill(): void } {
  const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(proc);
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) => proc.on('close', (code) => {
    if (code !== 0 && code !== null) process.stderr.write(stderr);
    resolve(code);
  }));
  return { out: () => stdout, exit, kill: () => proc.kill('SIGKILL') };
}

function blockMainThread(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // long synchronous work
  }
}

describe('lease heartbeats on the writer thread', () => {
  it('keep a run alive while the main thread is blocked; a main-thread timer does not (the control)', async () => {
    const store = await SqliteStore.open(path);
    const owner: Owner = { id: 'me', pid: process.pid, host: 'h' };
    await store.createRun(newRun('kept'), owner, Date.now());
    await store.createRun(newRun('timer'), owner, Date.now());
    let lost = false;
    const stop = store.keepAlive('kept', owner, 200, () => (lost = true));
    const timer = setInterval(() => void store.heartbeat('timer', owner, Date.now()), 200);
    // Another process reaps every 100 ms for 4 s, with a stale window of 1.5 s; the pid is alive.
    const reaper = child(`
      const { SqliteStore } = await import(${JSON.stringify(STORE_URL)});
      const store = await SqliteStore.open(${JSON.stringify(path)});
      process.stdout.write('ready\\n');
      const reaped = [];
      for (const until = Date.now() + 4_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
        for (const e of await store.reapOrphans(() => true, Date.now(), 1_500)) if (e.type === 'run.finished') reaped.push(e.runId);
      }
      await store.close();
      process.stdout.write(JSON.stringify(reaped) + '\\n');
    `);
    try {
      await waitFor(() => reaper.out().startsWith('ready\n'), 20_000, 'the reaper');
      blockMainThread(3_000);
      expect(await reaper.exit).toBe(0);
      expect(JSON.parse(reaper.out().split('\n')[1] ?? '')).toEqual(['timer']);
      expect(await store.getRun('kept')).toMatchObject({ status: 'running', owner: { id: 'me' } });
      expect((await store.getRun('timer'))?.status).toBe('interrupted');
      expect(lost).toBe(false);
    } finally {
      stop();
      clearInterval(timer);
      await store.close();
    }
  }, 30_000);

  it('report a lost lease back to the caller, once', async () => {
    const store = await SqliteStore.open(path);
    const owner: Owner = { id: 'me', pid: process.pid, host: 'h' };
    await store.createRun(newRun('run-1'), owner, Date.now());
    let lost = 0;
    const stop = store.keepAlive('run-1', owner, 50, () => (lost += 1));
    await store.reapOrphans(() => false, Date.now(), 60_000);
    await waitFor(() => lost > 0, 5_000, 'the lost lease');
    await new Promise((r) => setTimeout(r, 200));
    stop();
    await store.close();
    expect(lost).toBe(1);
  });
});

describe('crash safety', () => {
  it('kill -9 mid-burst: integrity_check passes and every acknowledged commit is there', async () => {
    // Four runs, each with eight commits in flight at all times; a commit's seq is printed once it resolved.
    const writer = child(`
      const { SqliteStore } = await import(${JSON.stringify(STORE_URL)});
      const store = await SqliteStore.open(${JSON.stringify(path)});
      const owner = { id: 'w', pid: process.pid, host: 'h' };
      const plan = [{ id: 'p', kind: 'agent', dependsOn: [], defHash: 'h' }];
      const runs = ['a', 'b', 'c', 'd'];
      for (const id of runs) {
        await store.createRun({ id, flowName: 'f', flowFile: null, flowSource: '', inputs: {}, start: { flowName: 'f', phases: plan, reused: [], frontier: ['p'] } }, owner, 1);
        await store.commit(id, owner, [{ type: 'phase.started', phaseId: 'p', attempt: 1, runAttempt: 1, defHash: 'h' }], 2);
      }
      await Promise.all(runs.map(async (id) => {
        let next = 0;
        const one = async () => {
          const index = next++;
          const [event] = await store.commit(id, owner, [{ type: 'transcript.appended', phaseId: 'p', index, role: 'assistant', content: { text: 'x'.repeat(2_000), index } }], 3);
          process.stdout.write(id + ' ' + event.seq + '\\n');
          return one();
        };
        await Promise.all(Array.from({ length: 8 }, one));
      }));
    `);
    await waitFor(() => writer.out().split('\n').length > 400, 30_000, '400 acknowledged commits');
    writer.kill();
    await writer.exit;
    const acked = writer.out().split('\n').filter((line) => /^[a-d] \d+$/.test(line)).map((line) => line.split(' ') as [string, string]);
    const db = new Database(path);
    try {
      expect(db.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const stored = new Set((db.prepare(`SELECT run_id || ' ' || seq AS k FROM events`).all() as { k: string }[]).map((r) => r.k));
      expect(acked.filter(([run, seq]) => !stored.has(`${run} ${seq}`))).toEqual([]);
      for (const run of ['a', 'b', 'c', 'd']) {
        const { n, max, lastSeq } = db.prepare(`SELECT COUNT(*) AS n, MAX(seq) AS max, (SELECT last_seq FROM runs WHERE id = ?) AS lastSeq FROM events WHERE run_id = ?`).get(run, run) as { n: number; max: number; lastSeq: number };
        expect([n, max]).toEqual([lastSeq, lastSeq]); // no gap: the log is whole
        const entries = db.prepare(`SELECT COUNT(*) AS n FROM transcript WHERE run_id = ?`).get(run) as { n: number };
        expect(entries.n).toBe(lastSeq - 2);
      }
    } finally {
      db.close();
    }
  }, 60_000);
});

describe('the event loop during a burst of commits', () => {
  it('keeps ticking: its longest pause is a small part of the time the writes take', async () => {
    const store = await SqliteStore.open(path);
    const owner: Owner = { id: 'me', pid: process.pid, host: 'h' };
    const runs = Array.from({ length: 20 }, (_, i) => `run-${i}`);
    for (const id of runs) {
      await store.createRun(newRun(id), owner, 1);
      await store.commit(id, owner, [started('research')], 2);
    }
    const t0 = performance.now();
    let last = t0;
    let longest = 0;
    const tick = () => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    };
    const ticker = setInterval(tick, 10);
    try {
      // 2,000 commits: every run writes its steps one after another, all runs at once.
      await Promise.all(runs.map(async (id) => {
        for (let i = 0; i < 100; i += 1) await store.commit(id, owner, [said('research', i, { text: 'y'.repeat(4_000) })], 3);
      }));
      tick(); // the pause up to the end counts too
      const total = performance.now() - t0;
      // A store writing on this thread never lets the timer run at all here (longest = total):
      // each commit's promise settles at once, so the loop of awaits never yields to it.
      expect(longest).toBeLessThan(total / 3);
    } finally {
      clearInterval(ticker);
      await store.close();
    }
  }, 60_000);
});
