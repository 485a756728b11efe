/**
 * Opens the checkpoint store a `--db` / WAYMARK_DB / desktop setting names (SPEC §6, §7):
 * a `postgres://` or `postgresql://` URL opens the PostgreSQL store, anything else is
 * the path of a SQLite database file.
 */
import type { OpenOptions } from './database';
import { isDatabaseUrl } from './postgres/pg-url';
import { SqliteStore } from './sqlite-store';
import type { CheckpointStore } from './types';

export { isDatabaseUrl };
export { redactUrl } from './postgres/pg-url';

/**
 * The store behind `target`. PostgreSQL connection problems reject with STORE_FAILED,
 * "cannot connect to PostgreSQL at postgres://user@host:port/db: <reason>", never with
 * the password. `options` (the Electron build of better-sqlite3, read-only) concern
 * SQLite only.
 */
export async function openStore(target: string, options: OpenOptions = {}): Promise<CheckpointStore> {
  if (isDatabaseUrl(target)) {
    // `pg` and the PostgreSQL store load only for a postgres:// URL, never for a SQLite file.
    const { PostgresStore } = await import('./postgres/pg-store');
    return PostgresStore.open(target.trim());
  }
  return await SqliteStore.open(target, options);
}

/**
 * The store behind `target` for a process that mostly reads (`waymark runs`, `show`): on
 * SQLite, an existing database opened without its writer thread until a write needs it
 * (SqliteStore.openToRead); PostgreSQL opens as `openStore` does.
 */
export async function openStoreToRead(target: string, options: OpenOptions = {}): Promise<CheckpointStore> {
  if (isDatabaseUrl(target)) return openStore(target, options);
  return await SqliteStore.openToRead(target, options);
}
