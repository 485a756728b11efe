/**
 * The SQLite store's writer thread, in one process: group commit (counted by the
 * writer's own transaction counter), a refused request rolled back alone inside a
 * shared transaction, errors that keep their codes across the thread, reads that do
 * not wait for the writer, `close` waiting for queued writes, and `:memory:`.
 *
 * "Batched" is made deterministic with a real lock: another connection holds the write
 * lock, so the writer thread is stuck in BEGIN IMMEDIATE while the test queues more
 * requests; once the lock is released they all go into the next transaction.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunFact } from '../../shared/events';
import { tempDir, type TempDir } from '../testing/temp-dir';
import { OTHER, OWNER, newRun, said, snapshot, started } from './conformance/fixtures';
import { SqliteStore } from './sqlite-store';

let dir: TempDir;
let path: string;
let store: SqliteStore;
const extra: { close(): unknown }[] = [];

beforeEach(async () => {
  dir = tempDir('waymark-writer-');
  path = join(dir.path, 'waymark.db');
  store = await SqliteStore.open(path);
});

afterEach(async () => {
  for (const handle of extra.splice(0)) await handle.close();
  await store.close();
  dir.remove();
});

/** Another connection holding the write lock until `release()`. */
function lockDatabase(): { release(): void } {
  const locker = new Database(path);
  extra.push(locker);
  locker.exec('BEGIN IMMEDIATE');
  return { release: () => locker.exec('COMMIT') };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const step = (index: number): RunFact[] => [said('research', index, { text: `step ${index}` })];

async function runs(count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `run-${i}`);
  for (const id of ids) {
    await store.createRun(newRun(id), OWNER, 1_000);
    await store.commit(id, OWNER, [started('research')], 1_001);
  }
  return ids;
}

describe('group commit', () => {
  it('applies concurrent commits of different runs in fewer transactions than commits', async () => {
    const ids = await runs(20);
    const before = await store.writerStats();
    // Issued in one tick, nothing in the way: fewer transactions than commits.
    const results = await Promise.all(ids.map((id) => store.commit(id, OWNER, step(0), 2_000)));
    const free = await store.writerStats();
    expect(results.map((events) => events[0]?.seq)).toEqual(ids.map(() => 3));
    expect(free.requests - before.requests).toBe(ids.length);
    expect(free.transactions - before.transactions).toBeLessThan(ids.length);

    // Issued while the writer waits for another process's lock: all in the next transaction.
    const lock = lockDatabase();
    const first = store.commit('run-0', OWNER, step(1), 3_000);
    await sleep(300); // the writer thread is now inside BEGIN IMMEDIATE, waiting
    const rest = ids.slice(1).map((id) => store.commit(id, OWNER, step(1), 3_000));
    lock.release();
    await Promise.all([first, ...rest]);
    const after = await store.writerStats();
    expect(after.transactions - free.transactions).toBe(2);
    expect(after.requests - free.requests).toBe(ids.length);
    for (const id of ids) expect((await store.getRun(id))?.lastSeq).toBe(4);
  });

  it('rolls back a refused request alone: the others in its transaction are applied and durable', async () => {
    await runs(4);
    const beforeRefused = await Promise.all(['run-1', 'run-2'].map((id) => snapshot(store, id)));
    const stats = await store.writerStats();
    const lock = lockDatabase();
    const blocker = store.heartbeat('run-3', OWNER, 5_000);
    await sleep(300);
    const settled = Promise.allSettled([
      store.commit('run-0', OWNER, step(0), 5_001),
      store.commit('run-1', OTHER, step(0), 5_001), // not its owner
      store.commit('run-2', OWNER, [...step(0), started('nope')], 5_001), // a fact that contradicts the plan
      store.commit('run-3', OWNER, step(0), 5_001),
      store.recordProcess({ runId: 'gone', phaseId: 'p', attempt: 1, host: 'h', pgid: 1, startTime: null, startedAt: 1 }),
      store.heartbeat('gone', OWNER, 5_001),
    ]);
    lock.release();
    await blocker;
    const [ok0, lost, invalid, ok3, notFound, beat] = await settled;
    expect((await store.writerStats()).transactions - stats.transactions).toBe(2);
    expect(ok0).toMatchObject({ status: 'fulfilled', value: [{ seq: 3 }] });
    expect(ok3).toMatchObject({ status: 'fulfilled', value: [{ seq: 3 }] });
    expect(lost).toMatchObject({ status: 'rejected', reason: { code: 'LEASE_LOST', message: expect.stringContaining('run-1') } });
    expect(invalid).toMatchObject({ status: 'rejected', reason: { code: 'INTERNAL', message: expect.stringContaining('phase "nope" is not in the run\'s plan') } });
    expect(notFound).toMatchObject({ status: 'rejected', reason: { code: 'RUN_NOT_FOUND' } });
    expect(beat).toEqual({ status: 'fulfilled', value: false });
    expect(await Promise.all(['run-1', 'run-2'].map((id) => snapshot(store, id)))).toEqual(beforeRefused);
    // Durable: another connection sees exactly the two applied commits.
    const other = new Database(path, { readonly: true });
    extra.push(other);
    expect(other.prepare(`SELECT run_id, MAX(seq) AS seq FROM events GROUP BY run_id ORDER BY run_id`).all()).toEqual([
      { run_id: 'run-0', seq: 3 }, { run_id: 'run-1', seq: 2 }, { run_id: 'run-2', seq: 2 }, { run_id: 'run-3', seq: 3 },
    ]);
  });
});

describe('the writer thread and the caller', () => {
  it('keeps SQLite result codes across the thread (SQLITE_BUSY behind a lock)', async () => {
    await runs(1);
    const lock = lockDatabase();
    await expect(store.recordProcess({ runId: 'run-0', phaseId: 'research', attempt: 1, host: 'h', pgid: 9, startTime: null, startedAt: 1 })).rejects.toMatchObject({ code: 'SQLITE_BUSY', message: 'database is locked' });
    lock.release();
  });

  it('answers reads at once while a write waits for another process\'s lock, and the event loop stays free', async () => {
    await runs(1);
    const lock = lockDatabase();
    let committed = false;
    const commit = store.commit('run-0', OWNER, step(0), 2_000).then(() => (committed = true));
    await sleep(100);
    const t0 = performance.now();
    expect(await store.getRun('run-0')).toMatchObject({ lastSeq: 2 });
    expect(await store.eventsSince('run-0', 0, 10)).toHaveLength(2);
    const readMs = performance.now() - t0;
    const timerLate = await new Promise<number>((resolve) => {
      const due = performance.now() + 20;
      setTimeout(() => resolve(performance.now() - due), 20);
    });
    expect(committed).toBe(false);
    lock.release();
    await commit;
    expect(await store.getRun('run-0')).toMatchObject({ lastSeq: 3 });
    // Under a synchronous store both would have waited for the lock (the busy timeout is seconds).
    expect(readMs).toBeLessThan(500);
    expect(timerLate).toBeLessThan(500);
  });

  it('keeps synchronous=FULL for facts after batches of heartbeats and process rows (which skip the fsync)', async () => {
    await runs(1);
    const row = { runId: 'run-0', phaseId: 'research', attempt: 1, host: 'h', pgid: 9, startTime: null, startedAt: 1 };
    await Promise.all([store.heartbeat('run-0', OWNER, 2_000), store.recordProcess(row)]);
    expect(await store.pragma('synchronous')).toEqual([{ synchronous: 2 }]);
    await store.pragma('synchronous = OFF'); // a benchmark's setting is left alone
    await store.forgetProcess('run-0', 'h', 9);
    expect(await store.pragma('synchronous')).toEqual([{ synchronous: 0 }]);
  });

  it('close waits for the writes already made', async () => {
    await runs(1);
    const writes = Array.from({ length: 50 }, (_, i) => store.commit('run-0', OWNER, step(i), 3_000 + i));
    await store.close();
    expect((await Promise.all(writes)).map((events) => events[0]?.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 3));
    await expect(store.getRun('run-0')).rejects.toThrow();
    store = await SqliteStore.open(path);
    expect((await store.getRun('run-0'))?.lastSeq).toBe(52);
  });

  it('serves a :memory: database, whose reads only the writer thread can answer', async () => {
    const memory = await SqliteStore.open(':memory:');
    extra.push(memory);
    await memory.createRun(newRun('run-1'), OWNER, 1);
    const [event] = await memory.commit('run-1', OWNER, [started('research')], 2);
    expect(event).toMatchObject({ type: 'phase.started', seq: 2 });
    expect(await memory.getRun('run-1')).toMatchObject({ lastSeq: 2, status: 'running' });
    expect((await memory.getPhases('run-1'))[0]).toMatchObject({ phaseId: 'research', status: 'running' });
    expect(await memory.getPhaseResults('run-1')).toEqual(new Map());
  });
});
