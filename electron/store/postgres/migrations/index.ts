/**
 * Numbered PostgreSQL migrations (STYLE rule 10). The version lives in a one-row table,
 * `waymark_schema`, in the schema Waymark's tables are in. All pending steps run in one
 * transaction that first takes a transaction-scoped advisory lock, so processes opening
 * the same database at once queue: the first migrates, the others find it done. A
 * database written by a newer Waymark is refused before anything is written.
 */
import type pg from 'pg';
import { WaymarkError } from '../../../../shared/errors';
import { inTransaction, type Sql } from '../pg-pool';
import { migration001 } from './001-initial';
import { migration002 } from './002-queue';
import { migration003 } from './003-approvals';
import { migration004 } from './004-cost';
import { migration005 } from './005-phase-logs';
import { migration006 } from './006-history';
import type { PgMigration } from './migration';

export const PG_MIGRATIONS: readonly PgMigration[] = [migration001, migration002, migration003, migration004, migration005, migration006];
export const PG_SCHEMA_VERSION = PG_MIGRATIONS.length;

/** Migrates the database behind `pool`; `where` names it (redacted) in errors. */
export async function migratePg(pool: pg.Pool, where: string, migrations: readonly PgMigration[] = PG_MIGRATIONS): Promise<{ from: number; to: number }> {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} is numbered ${m.version}, expected ${i + 1}`);
  });
  const target = migrations.length;
  return inTransaction(pool, async (sql) => {
    // One lock per schema: tests and teams may keep several Waymark schemas in one database.
    await sql.query(`SELECT pg_advisory_xact_lock(hashtext('waymark.migrate:' || COALESCE(current_schema(), '')))`);
    const current = await readSchemaVersion(sql);
    refuseFuture(current, target, where);
    if (current === 0 && target > 0) {
      await sql.query(`CREATE TABLE waymark_schema (
        version integer NOT NULL,
        one_row boolean PRIMARY KEY DEFAULT true CHECK (one_row)
      )`);
      await sql.query(`INSERT INTO waymark_schema (version) VALUES (0)`);
    }
    for (const m of migrations.slice(current)) {
      await m.up(sql);
      await sql.query(`UPDATE waymark_schema SET version = $1`, [m.version]);
    }
    return { from: current, to: Math.max(current, target) };
  });
}

/** The schema version of the current schema; 0 when Waymark never migrated it. */
export async function readSchemaVersion(sql: Sql): Promise<number> {
  const table = await sql.query<{ present: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'waymark_schema') AS present`,
  );
  if (!table.rows[0]?.present) return 0;
  const row = await sql.query<{ version: number }>(`SELECT version FROM waymark_schema`);
  return row.rows[0]?.version ?? 0;
}

/** Throws DATABASE_TOO_NEW when the database is beyond what this Waymark knows. */
export function refuseFuture(current: number, known: number, where: string): void {
  if (current > known) {
    throw new WaymarkError(
      'DATABASE_TOO_NEW',
      `database ${where} has schema version ${current}, but this Waymark knows only up to ${known}: upgrade Waymark, or use another database with --db`,
    );
  }
}
