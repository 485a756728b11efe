/**
 * Opens a Waymark database: WAL, synchronous=FULL (a commit survives power loss),
 * a busy timeout so concurrent processes wait instead of failing, foreign keys on,
 * then migrations. A database from a newer Waymark is refused before anything is written.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate, refuseFutureSchema } from './migrations';

/**
 * How long a write waits for another process's lock before failing with SQLITE_BUSY.
 * The wait happens on the store's writer thread (sqlite-store.ts), never on the event
 * loop, and the user is warned after SLOW_COMMIT_MS (durable-writer.ts), so it need not
 * be short; a failed commit is retried with the backlog anyway. It also bounds how long
 * a run that ends behind a lock waits for its last commit before reporting it unsaved
 * (DurableWriter.settle: FINAL_SAVE_MS, then the commit in flight), so not longer.
 */
export const BUSY_TIMEOUT_MS = 5_000;

export interface OpenOptions {
  /** Path of a better-sqlite3 addon built for another runtime (Electron). */
  nativeBinding?: string;
  readonly?: boolean;
}

export function openDatabase(path: string, options: OpenOptions = {}): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, {
    timeout: BUSY_TIMEOUT_MS,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    ...(options.readonly ? { readonly: true } : {}),
  });
  try {
    // Before any pragma: switching to WAL would already rewrite a future database's header.
    refuseFutureSchema(db);
    applyDurablePragmas(db);
    if (!options.readonly) migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** The pragmas every Waymark connection uses; the benchmark's bare commit uses them too. */
export function applyDurablePragmas(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
}
