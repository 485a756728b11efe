/**
 * The reference cost: one bare durable SQLite commit on this machine, with the pragmas
 * every Waymark connection uses (WAL, synchronous=FULL): BEGIN IMMEDIATE, insert one
 * small row, COMMIT. Nothing the engine does per phase can be cheaper than this.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { applyDurablePragmas } from '../electron/store/database';
import { usSince, withTempDir } from './util';

/** µs per commit over `count` single-row transactions on a fresh database file. */
export async function bareCommitUs(count: number): Promise<number> {
  return withTempDir('bare', (dir) => {
    const db = new Database(join(dir, 'bare.db'));
    try {
      applyDurablePragmas(db);
      db.exec('CREATE TABLE facts (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, note TEXT NOT NULL) STRICT');
      const insert = db.prepare('INSERT INTO facts (at, note) VALUES (?, ?)');
      const commit = db.transaction((at: number) => insert.run(at, 'phase.finished'));
      const start = performance.now();
      for (let i = 0; i < count; i++) commit.immediate(i);
      return usSince(start) / count;
    } finally {
      db.close();
    }
  });
}
