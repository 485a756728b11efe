/**
 * Numbered migrations on `PRAGMA user_version` (STYLE rule 10): all pending steps run in
 * one transaction; a database written by a newer Waymark is refused, never touched.
 */
import type { Database } from 'better-sqlite3';
import { WaymarkError } from '../../../shared/errors';
import type { Migration } from './migration';
import { migration001 } from './001-initial';
import { migration002 } from './002-process-groups';
import { migration003 } from './003-queue';
import { migration004 } from './004-approvals';
import { migration005 } from './005-cost';
import { migration006 } from './006-phase-logs';
import { migration007 } from './007-history';

export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007];
export const SCHEMA_VERSION = MIGRATIONS.length;

export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} is numbered ${m.version}, expected ${i + 1}`);
  });
  const target = migrations.length;
  const run = db.transaction(() => {
    const current = refuseFutureSchema(db, target);
    const pending = migrations.slice(current);
    for (const m of pending) {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }
    if (pending.some((m) => m.rebuildsTables)) refuseBrokenReferences(db);
    return { from: current, to: Math.max(current, target) };
  });
  // `PRAGMA foreign_keys` is a no-op inside a transaction: set it around it. Deciding
  // which migrations are pending needs a read first, outside the transaction; a version
  // changed by another process in between only means foreign keys were off for nothing.
  const rebuild = migrations.slice(readVersion(db)).some((m) => m.rebuildsTables);
  const enforced = db.pragma('foreign_keys', { simple: true }) === 1;
  if (rebuild && enforced) db.pragma('foreign_keys = OFF');
  try {
    return run.immediate();
  } finally {
    if (rebuild && enforced) db.pragma('foreign_keys = ON');
  }
}

function readVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** After rebuilding tables with foreign keys off: every reference must still resolve. */
function refuseBrokenReferences(db: Database): void {
  const broken = db.pragma('foreign_key_check') as { table: string; parent: string }[];
  const first = broken[0];
  if (first) throw new Error(`migration left ${broken.length} row(s) of ${first.table} without their ${first.parent} row; nothing was changed`);
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
