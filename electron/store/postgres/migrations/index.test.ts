/** The PostgreSQL migration runner against a real server: fresh, reopened, raced, and from the future. */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createPool } from '../pg-pool';
import { usePostgres } from '../pg-test-helpers';
import { PostgresStore } from '../pg-store';
import { migratePg, PG_SCHEMA_VERSION } from './index';
import { migration001 } from './001-initial';

const pg$ = usePostgres();

async function query<R extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

const tablesOf = async (url: string, schema: string) =>
  (await query<{ tablename: string }>(url, `SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename`, [schema])).map((r) => r.tablename);

async function migrateWith(url: string) {
  const pool = createPool(url);
  try {
    return await migratePg(pool, 'test-db');
  } finally {
    await pool.end();
  }
}

describe('PostgreSQL migrations', () => {
  it('migrate a fresh schema to the current version, creating every table', async () => {
    const { url, schema } = await pg$.schema();
    expect(await migrateWith(url)).toEqual({ from: 0, to: PG_SCHEMA_VERSION });
    expect(await tablesOf(url, schema)).toEqual(['approvals', 'events', 'phase_attempts', 'phase_logs', 'phase_processes', 'phase_results', 'run_attempts', 'run_phases', 'runs', 'transcript', 'waymark_schema']);
    expect(await query(url, `SELECT version FROM waymark_schema`)).toEqual([{ version: PG_SCHEMA_VERSION }]);
  });

  it('reopening migrates nothing and keeps the data', async () => {
    const { url } = await pg$.schema();
    const store = await PostgresStore.open(url);
    await store.createRun({ id: 'run-1', flowName: 'f', flowFile: null, flowSource: 'name: f\n', inputs: {}, start: { flowName: 'f', phases: [], reused: [], frontier: [] } }, { id: 'o', pid: 1, host: 'h' }, 5);
    await store.close();
    expect(await migrateWith(url)).toEqual({ from: PG_SCHEMA_VERSION, to: PG_SCHEMA_VERSION });
    const reopened = await pg$.open(url);
    expect((await reopened.getRun('run-1'))?.flowName).toBe('f');
  });

  it('processes migrating the same schema at once queue on the advisory lock: one migrates, the others find it done', async () => {
    const { url, schema } = await pg$.schema();
    const results = await Promise.all([1, 2, 3, 4].map(() => migrateWith(url)));
    expect(results.filter((r) => r.from === 0)).toHaveLength(1);
    expect(results.filter((r) => r.from === PG_SCHEMA_VERSION)).toHaveLength(3);
    expect(await tablesOf(url, schema)).toContain('runs');
    // Whole stores opening at once, too.
    const other = await pg$.schema();
    const stores = await Promise.all([pg$.open(other.url), pg$.open(other.url)]);
    expect(await Promise.all(stores.map((s) => s.listRuns(10)))).toEqual([[], []]);
  });

  it('refuses a database from a newer Waymark with DATABASE_TOO_NEW and writes nothing', async () => {
    const { url, schema } = await pg$.schema();
    await migrateWith(url);
    await query(url, `UPDATE waymark_schema SET version = 99`);
    const before = await tablesOf(url, schema);
    const err = await PostgresStore.open(url).then(() => undefined, (e: unknown) => e as { code?: string; message: string });
    expect(err?.code).toBe('DATABASE_TOO_NEW');
    expect(err?.message).toContain(`has schema version 99, but this Waymark knows only up to ${PG_SCHEMA_VERSION}: upgrade Waymark, or use another database with --db`);
    expect(err?.message).toContain('postgres://waymark@');
    expect(await query(url, `SELECT version FROM waymark_schema`)).toEqual([{ version: 99 }]);
    expect(await tablesOf(url, schema)).toEqual(before);
  });

  it('runs all pending steps in one transaction: a failing step leaves the schema untouched', async () => {
    const { url, schema } = await pg$.schema();
    const broken = { version: 2, name: 'broken', up: async (sql: { query(text: string): Promise<unknown> }) => void (await sql.query(`CREATE TABLE nope (x no_such_type)`)) };
    const pool = createPool(url);
    try {
      await expect(migratePg(pool, 'test-db', [migration001, broken])).rejects.toThrow(/no_such_type/);
    } finally {
      await pool.end();
    }
    expect(await tablesOf(url, schema)).toEqual([]);
  });

  it('refuses migrations that are not numbered 1, 2, 3...', async () => {
    const pool = createPool(pg$.serverUrl());
    try {
      await expect(migratePg(pool, 'test-db', [{ ...migration001, version: 2 }])).rejects.toThrow(/numbered 2, expected 1/);
    } finally {
      await pool.end();
    }
  });
});
