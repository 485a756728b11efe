/**
 * Connections to a Waymark PostgreSQL database: the pool, how values come back, one
 * helper for transactions, and errors a user can act on (with the password removed).
 */
import pg from 'pg';
import { WaymarkError } from '../../../shared/errors';
import { redactUrl, scrubSecrets } from './pg-url';

/** Opening gives up after this long instead of hanging on an unreachable host. */
export const CONNECT_TIMEOUT_MS = 10_000;

/**
 * `bigint` columns (ms epochs, counts, seqs) come back as JS numbers. node-postgres
 * returns int8 as a string by default, because it may not fit a double; every value
 * Waymark writes is a safe integer (rules.ts checks), so a value that is not one means
 * the row was damaged or written by something else, and reading it fails loudly.
 * The parser is set on this pool's clients only, never globally for the process.
 */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new WaymarkError('INTERNAL', `a stored integer (${text}) is outside the range Waymark can read exactly`);
  return value;
}

const types = new pg.TypeOverrides();
types.setTypeParser(pg.types.builtins.INT8, 'text', parseInt8);

/** Settings shared by the pool and the listening client of `watch`. */
export function clientConfig(url: string): pg.ClientConfig {
  return { connectionString: url, types, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true, application_name: 'waymark' };
}

export function createPool(url: string): pg.Pool {
  // allowExitOnIdle: idle pooled connections never keep a finished CLI process alive.
  const pool = new pg.Pool({ ...clientConfig(url), allowExitOnIdle: true });
  // An idle client whose server connection dropped: the pool discards it and the next
  // query opens a new one. Without a listener, this event would crash the process.
  pool.on('error', () => undefined);
  return pool;
}

export type Sql = Pick<pg.PoolClient, 'query'>;

/**
 * Runs `work` in one transaction: COMMIT when it resolves, ROLLBACK when it throws.
 * A client whose rollback failed (its connection is gone) is destroyed, not reused.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (sql: Sql) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((rollbackErr: Error) => {
      broken = rollbackErr;
    });
    throw err;
  } finally {
    client.release(broken);
  }
}

/** The SQLSTATE of a server error, if `err` is one. */
export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** Why a connection attempt failed, in one line, whatever shape the error has. */
export function reasonOf(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return [...new Set(err.errors.map(reasonOf))].join('; ');
  if (err instanceof Error) return err.message || (err as { code?: string }).code || err.name;
  return String(err);
}

/** Errors that mean the server was never reached or refused us, as opposed to SQL errors. */
function isConnectionError(err: unknown): boolean {
  const state = sqlState(err);
  if (state) return state.startsWith('08') || state.startsWith('28') || state === '3D000' || state === '57P03';
  return true; // network errors (ECONNREFUSED, ENOTFOUND, timeouts) carry no SQLSTATE
}

/**
 * An error from opening the store, as the user should read it: "cannot connect to
 * PostgreSQL at postgres://user@host:port/db: <reason>" for connection problems, or what
 * could not be set up (a missing CREATE privilege). The password never appears.
 */
export function describeOpenError(err: unknown, url: string): Error {
  if (err instanceof WaymarkError) return new WaymarkError(err.code, scrubSecrets(err.message, url), { retryable: err.retryable });
  const where = redactUrl(url);
  const reason = scrubSecrets(reasonOf(err), url);
  if (isConnectionError(err)) return new WaymarkError('STORE_FAILED', `cannot connect to PostgreSQL at ${where}: ${reason}`, { retryable: true });
  return new WaymarkError('STORE_FAILED', `cannot set up the Waymark tables in PostgreSQL at ${where}: ${reason}${SETUP_HINTS[sqlState(err) ?? ''] ?? ''}`);
}

/** What to do about the set-up errors a new team database typically gives. */
const SETUP_HINTS: Record<string, string> = {
  '42501': ' (the user needs permission to create tables in this database and schema)',
  '3F000': ' (the search_path names no schema this user can use: create one, or grant USAGE and CREATE on it)',
};
