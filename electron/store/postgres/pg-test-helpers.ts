/**
 * Test support for the PostgreSQL store: one server per test file (testPostgres: the
 * CI server or a private cluster), a fresh schema per store, and everything a test
 * opened closed and dropped after it. If no server can be had, every test of the file
 * fails with the reason (beforeAll throws); none is skipped.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { freshSchema, testPostgres, type TestPostgres } from '../../testing/postgres';
import { migratePg } from './migrations/index';
import { PostgresStore } from './pg-store';

export interface PgTestContext {
  /** The server's URL (admin rights, `public` schema). */
  serverUrl(): string;
  /** A new empty schema; dropped after the test. */
  schema(): Promise<{ url: string; schema: string }>;
  /** A store on `url` (default: a new schema); closed after the test. */
  open(url?: string): Promise<PostgresStore>;
  /** Registers cleanup to run after the test, before schemas are dropped. */
  defer(cleanup: () => Promise<void> | void): void;
}

export function usePostgres(): PgTestContext {
  let server: TestPostgres | undefined;
  let cleanups: (() => Promise<void> | void)[] = [];
  let drops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    server = await testPostgres();
  }, 120_000);

  afterEach(async () => {
    const [later, dropping] = [cleanups.reverse(), drops];
    cleanups = [];
    drops = [];
    for (const cleanup of later) await cleanup();
    await Promise.all(dropping.map((drop) => drop()));
  });

  afterAll(() => server?.stop());

  const serverUrl = (): string => {
    if (!server) throw new Error('the PostgreSQL server did not start (see the beforeAll error)');
    return server.url;
  };
  const schema = async () => {
    const fresh = await freshSchema(serverUrl());
    drops.push(fresh.drop);
    return { url: fresh.url, schema: fresh.schema };
  };
  const defer = (cleanup: () => Promise<void> | void) => {
    cleanups.push(cleanup);
  };
  const open = async (url?: string) => {
    const store = await PostgresStore.open(url ?? (await schema()).url);
    defer(() => store.close());
    return store;
  };
  return { serverUrl, schema, open, defer };
}

type Migrations = Parameters<typeof migratePg>[2];

/** A schema for a migration test: migrated by the test, queried through one client. */
export interface MigrationSchema {
  /** The schema's URL and name (valid after `open`). */
  readonly url: string;
  readonly schema: string;
  /** A fresh schema migrated through `migrations`, and a client on it (closed after the test). */
  open(migrations: Migrations): Promise<{ from: number; to: number }>;
  /** Runs `migrations` (those not applied yet) on the schema, as the store does. */
  migrateTo(migrations: Migrations): Promise<{ from: number; to: number }>;
  q(text: string, values?: unknown[]): Promise<pg.QueryResult>;
}

export function useMigrationSchema(pg$: PgTestContext = usePostgres()): MigrationSchema {
  let client: pg.Client | undefined;
  const db = {
    url: '',
    schema: '',
    async open(migrations: Migrations) {
      ({ url: db.url, schema: db.schema } = await pg$.schema());
      const result = await db.migrateTo(migrations);
      const opened = new pg.Client({ connectionString: db.url });
      await opened.connect();
      client = opened;
      pg$.defer(() => opened.end());
      return result;
    },
    async migrateTo(migrations: Migrations) {
      const pool = new pg.Pool({ connectionString: db.url });
      try {
        return await migratePg(pool, 'test-db', migrations);
      } finally {
        await pool.end();
      }
    },
    q(text: string, values: unknown[] = []) {
      if (!client) throw new Error('open the migration schema first');
      return client.query(text, values);
    },
  };
  return db;
}
