/**
 * Numbered migrations on `PRAGMA user_version` (STYLE rule 10): all pending steps run in
 * one transaction; a database written by a newer Waymark is refused, never touched.
 */
import type { Database } from 'better-sqlite3';
import { WaymarkError } from '../../../shared/errors';
import type { Migration } from './migration';
import { migration001 } from './001-initial';
import { migration002 } from './002-process-groups';

export const MIGRATIONS: readonly Migration[] = [migration001, migration002];
export const SCHEMA_VERSION = MIGRATIONS.length;

export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} is numbered ${m.version}, expected ${i + 1}`);
  });
  const target = migrations.length;
  const run = db.transaction(() => {
    const current = refuseFutureSchema(db, target);
    for (const m of migrations.slice(current)) {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }
    return { from: current, to: Math.max(current, target) };
  });
  return run.immediate();
}

/** Reads `user_version`; throws DATABASE_TOO_NEW, touching nothing, when it is beyond `known`. */
export function refuseFutureSchema(db: Database, known: number = SCHEMA_VERSION): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > known) {
    throw new WaymarkError(
      'DATABASE_TOO_NEW',
      `database ${db.name} has schema version ${current}, but this Waymark knows only up to ${known}: upgrade Waymark, or use another database with --db`,
    );
  }
  return current;
}
