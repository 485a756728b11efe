/**
 * A real PostgreSQL server for tests. CI starts one and sets WAYMARK_TEST_PG_URL
 * (.ci/run); without it, the first test file that needs one starts a private cluster
 * (initdb + pg_ctl in a temp folder on a free local port, as the `postgres` user when
 * running as root) and stops it when the file is done. Tests that need PostgreSQL
 * FAIL with the reason when neither works: they are never skipped silently.
 *
 * Every test gets its own schema (`freshSchema`), so stores never see each other.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const PG_URL_ENV = 'WAYMARK_TEST_PG_URL';

export interface TestPostgres {
  url: string;
  stop(): void;
}

/** The server to test against: WAYMARK_TEST_PG_URL, else a private cluster. Throws why not. */
export async function testPostgres(): Promise<TestPostgres> {
  const given = process.env[PG_URL_ENV];
  if (given) return { url: given, stop: () => undefined };
  return startCluster();
}

/** A new, empty schema on `url`, and a URL whose connections use it. */
export async function freshSchema(url: string): Promise<{ url: string; schema: string; drop(): Promise<void> }> {
  const schema = `t_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await adminQuery(url, `CREATE SCHEMA ${schema}`);
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  return { url: scoped.toString(), schema, drop: () => adminQuery(url, `DROP SCHEMA ${schema} CASCADE`) };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function startCluster(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'waymark-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (tool: string, args: string[]) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
    execFileSync(file, argv, { stdio: 'pipe', timeout: 60_000 });
  };
  try {
    if (asRoot) {
      chmodSync(dir, 0o700);
      const { uid, gid } = postgresUser();
      chownSync(dir, uid, gid);
    }
    const data = join(dir, 'data');
    run('initdb', ['-D', data, '-U', 'waymark', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    const port = await freePort();
    // Durability of the test server itself is not under test: skip its fsyncs for speed.
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200`;
    run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '30', 'start']);
    return {
      url: `postgres://waymark@127.0.0.1:${port}/postgres`,
      stop: () => {
        try {
          run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const detail = (err as { stderr?: Buffer }).stderr?.toString().trim() || (err as Error).message;
    throw new Error(`PostgreSQL is needed for this test and could not be started (${detail}). Install it (apt install postgresql) or set ${PG_URL_ENV} to a server URL.`, { cause: err });
  }
}

function postgresBinDir(): string {
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => existsSync(join(debian, v, 'bin', 'initdb')));
    versions.sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(debian, versions[0], 'bin');
  }
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch (err) {
    throw new Error('no initdb found (looked in /usr/lib/postgresql/*/bin and pg_config --bindir)', { cause: err });
  }
}

function postgresUser(): { uid: number; gid: number } {
  const out = execFileSync('id', ['postgres'], { encoding: 'utf8' });
  const uid = /uid=(\d+)/.exec(out)?.[1];
  const gid = /gid=(\d+)/.exec(out)?.[1];
  if (!uid || !gid) throw new Error('running as root needs a "postgres" user to run the server as');
  return { uid: Number(uid), gid: Number(gid) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
