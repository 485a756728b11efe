/** openStore: which store a --db target opens, and PostgreSQL errors that never show the password. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { isDatabaseUrl, openStore, redactUrl } from './open-store';
import { usePostgres } from './postgres/pg-test-helpers';
import { PostgresStore } from './postgres/pg-store';
import { SqliteStore } from './sqlite-store';

const pg$ = usePostgres();
const SECRET = 'Sup3r-S3cret';

/** Everything a user or a log could see of an error. */
const everything = (err: unknown) => `${String(err)}\n${(err as Error).stack ?? ''}\n${JSON.stringify(err)}\n${JSON.stringify((err as { cause?: unknown }).cause ?? null)}`;

async function openError(target: string): Promise<{ code?: string; message: string }> {
  return openStore(target).then(
    async (store) => {
      await store.close();
      throw new Error(`expected ${redactUrl(target)} to fail`);
    },
    (err: { code?: string; message: string }) => err,
  );
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The test server's URL with another user, password and/or database. */
function variant(base: string, changes: { user?: string; password?: string; database?: string }): string {
  const url = new URL(base);
  if (changes.user) url.username = changes.user;
  if (changes.password) url.password = changes.password;
  if (changes.database) url.pathname = `/${changes.database}`;
  return url.toString();
}

describe('isDatabaseUrl and redactUrl', () => {
  it('tells PostgreSQL URLs from SQLite paths', () => {
    for (const url of ['postgres://h/db', 'postgresql://u@h:5432/db', 'POSTGRES://h', ' postgres://h/db']) expect(isDatabaseUrl(url), url).toBe(true);
    for (const path of ['/var/lib/waymark.db', 'postgres.db', './postgres://x', 'file:postgres://h', 'C:\\waymark.db', '']) expect(isDatabaseUrl(path), path).toBe(false);
  });

  it('drops the password and secret query parameters, keeps what names the server', () => {
    expect(redactUrl(`postgres://alice:${SECRET}@db.example:6543/waymark?sslmode=require&password=${SECRET}&sslpassword=x`)).toBe('postgres://alice@db.example:6543/waymark?sslmode=require');
    expect(redactUrl('postgresql://db.example/waymark')).toBe('postgresql://db.example/waymark');
    expect(redactUrl(`postgres://al:${SECRET}@[::1/x`)).toBe('<unparseable PostgreSQL URL>');
  });
});

describe('openStore', () => {
  it('opens a SQLite database for a path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'waymark-open-'));
    try {
      const store = await openStore(join(dir, 'waymark.db'));
      expect(store).toBeInstanceOf(SqliteStore);
      expect(await store.listRuns(5)).toEqual([]);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('opens PostgreSQL for a postgres:// URL', async () => {
    const { url } = await pg$.schema();
    const store = await openStore(url);
    pg$.defer(() => store.close());
    expect(store).toBeInstanceOf(PostgresStore);
    expect(await store.listRuns(5)).toEqual([]);
  });

  it('names an unreachable server, without its password', async () => {
    const port = await closedPort();
    const err = await openError(`postgres://alice:${SECRET}@127.0.0.1:${port}/waymark`);
    expect(err.code).toBe('STORE_FAILED');
    expect(err.message).toMatch(new RegExp(`^cannot connect to PostgreSQL at postgres://alice@127\\.0\\.0\\.1:${port}/waymark: .*ECONNREFUSED`));
    expect(everything(err)).not.toContain(SECRET);
  });

  it('names a database that does not exist, without the password (raw or percent-encoded)', async () => {
    const url = variant(pg$.serverUrl(), { password: encodeURIComponent(`${SECRET}@/:`), database: 'no_such_waymark_db' });
    const err = await openError(url);
    expect(err.message).toMatch(/^cannot connect to PostgreSQL at postgres:\/\/waymark@127\.0\.0\.1:\d+\/no_such_waymark_db: database "no_such_waymark_db" does not exist$/);
    expect(everything(err)).not.toContain(SECRET);
  });

  it('says what is missing when the user may not create tables, without the password', async () => {
    const { url, schema } = await pg$.schema();
    const role = `waymark_reader_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: pg$.serverUrl() });
    await admin.connect();
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${SECRET}'`);
    pg$.defer(async () => {
      await admin.query(`DROP ROLE ${role}`);
      await admin.end();
    });
    const asReader = variant(url, { user: role, password: SECRET });
    const noSchema = await openError(asReader);
    expect(noSchema.message).toMatch(/: no schema has been selected to create in \(the search_path names no schema this user can use: create one, or grant USAGE and CREATE on it\)$/);
    expect(everything(noSchema)).not.toContain(SECRET);
    await admin.query(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
    pg$.defer(async () => void (await admin.query(`REVOKE ALL ON SCHEMA ${schema} FROM ${role}`)));
    const err = await openError(asReader);
    expect(err.code).toBe('STORE_FAILED');
    expect(err.message).toMatch(new RegExp(`^cannot set up the Waymark tables in PostgreSQL at postgres://${role}@127\\.0\\.0\\.1:\\d+/postgres\\?options=.*: permission denied for schema ${schema} \\(the user needs permission to create tables in this database and schema\\)$`));
    expect(everything(err)).not.toContain(SECRET);
  });
});
