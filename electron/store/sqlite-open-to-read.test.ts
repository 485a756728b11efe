/**
 * SqliteStore.openToRead, what `waymark runs` and `waymark show` open: reads without the
 * writer thread, which starts at the first write; databases that need more are opened in
 * full. Real database files, and a real lock held by another connection.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OWNER, newRun } from './conformance/fixtures';
import { migration001 } from './migrations/001-initial';
import { migrate, SCHEMA_VERSION } from './migrations';
import { SqliteStore } from './sqlite-store';
import { tempDir, type TempDir } from '../testing/temp-dir';

let dir: TempDir;
let path: string;

beforeEach(() => {
  dir = tempDir();
  path = join(dir.path, 'waymark.db');
});

afterEach(() => dir.remove());

async function databaseWithRuns(...ids: string[]): Promise<void> {
  const store = await SqliteStore.open(path);
  for (const [i, id] of ids.entries()) await store.createRun(newRun(id), OWNER, 1_000 + i);
  await store.close();
}

const userVersion = () => {
  const db = new Database(path, { readonly: true });
  try {
    return db.pragma('user_version', { simple: true });
  } finally {
    db.close();
  }
};

describe('SqliteStore.openToRead', () => {
  it('reads at once while another process holds the write lock; a write waits for it, then lands', async () => {
    await databaseWithRuns('run-a', 'run-b');
    const locker = new Database(path);
    locker.exec('BEGIN IMMEDIATE');
    const store = await SqliteStore.openToRead(path);
    try {
      const started = performance.now();
      expect((await store.listRuns(10)).map((r) => r.id)).toEqual(['run-b', 'run-a']);
      expect((await store.getRun('run-a'))?.status).toBe('running');
      // The writer thread (its migration check takes the write lock) would have waited out the busy timeout.
      expect(performance.now() - started).toBeLessThan(1_000);
      const writing = store.createRun(newRun('run-c'), OWNER, 2_000);
      locker.exec('COMMIT');
      await writing;
      expect((await store.listRuns(10)).map((r) => r.id)).toEqual(['run-c', 'run-b', 'run-a']);
    } finally {
      locker.close();
      await store.close();
    }
  });

  it('without a write, closes without ever starting the writer; writes after close are refused', async () => {
    await databaseWithRuns('run-a');
    const store = await SqliteStore.openToRead(path);
    expect(await store.listRuns(1)).toHaveLength(1);
    await store.close();
    await expect(store.createRun(newRun('run-b'), OWNER, 2_000)).rejects.toMatchObject({ code: 'STORE_FAILED' });
    expect(userVersion()).toBe(SCHEMA_VERSION);
  });

  it('migrates a database of an older Waymark before reading it', async () => {
    const db = new Database(path);
    migrate(db, [migration001]);
    db.prepare(`INSERT INTO runs (id, flow_name, status, inputs_json, created_at, updated_at, attempt) VALUES ('run-old', 'f', 'failed', '{}', 5, 5, 1)`).run();
    db.close();
    const store = await SqliteStore.openToRead(path);
    try {
      expect((await store.listRuns(10)).map((r) => [r.id, r.status])).toEqual([['run-old', 'failed']]);
      expect(userVersion()).toBe(SCHEMA_VERSION);
    } finally {
      await store.close();
    }
  });

  it('refuses a database of a newer Waymark, touching nothing', async () => {
    await databaseWithRuns('run-a');
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    await expect(SqliteStore.openToRead(path)).rejects.toMatchObject({ code: 'DATABASE_TOO_NEW' });
    expect(userVersion()).toBe(SCHEMA_VERSION + 1);
  });
});
