/** What every CLI command needs: output streams, the database, and error-to-exit-code rules. */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { WaymarkError, formatError, toErrorData, type ErrorCode } from '../../shared/errors';
import { EXIT_CODES } from '../../shared/status';
import type { Engine } from '../engine/engine';
import { sandboxSettings } from '../engine/sandbox/settings';
import { databasePath } from '../paths';
import { isDatabaseUrl, redactUrl } from '../store/postgres/pg-url';
import type { CheckpointStore } from '../store/types';

export interface CliIO {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

/** Errors that mean "the request was refused": usage, validation, nothing to resume. */
const REFUSED: readonly ErrorCode[] = ['USAGE', 'FLOW_INVALID', 'FLOW_NOT_FOUND', 'INPUT_MISSING', 'RUN_NOT_FOUND', 'RUN_NOT_RESUMABLE', 'RUN_OWNED', 'APPROVAL_NOT_WAITING', 'CHECKPOINT_CORRUPT', 'DATABASE_TOO_NEW', 'DATABASE_NOT_FOUND'];

export function exitCodeForError(err: unknown): number {
  return REFUSED.includes(toErrorData(err).code) ? EXIT_CODES.usage : EXIT_CODES.failed;
}

export function reportError(io: CliIO, err: unknown): void {
  const data = toErrorData(err);
  const text = formatError(data);
  io.stderr.write(text.includes('\n') ? `${text}\n` : `error: ${text}\n`);
}

/**
 * Opens the database and an engine, reaping runs whose owner died (SPEC §1). `--db`
 * (else WAYMARK_DB, else the default file) is a SQLite file or a `postgres://` URL
 * (open-store.ts; errors never show its password). A PostgreSQL database is the
 * server's to keep: its tables are created on first use.
 */
export async function openEngine(dbFlag: string | undefined, io: CliIO): Promise<Engine> {
  const target = databasePath(dbFlag, io.env);
  // The store and the engine load here, not at start-up (`validate` needs neither). The
  // store starts opening first: its writer thread boots on another core while the
  // engine's modules load on this one.
  const { openStore } = await import('../store/open-store');
  const opening = openStore(target);
  const [{ Engine }, store] = await Promise.all([import('../engine/engine'), opening]).catch(async (err: unknown) => {
    await opening.then((s) => s.close()).catch(() => undefined);
    throw err;
  });
  // Sandboxed commands must not see this database, wherever --db or WAYMARK_DB put it.
  const engine = new Engine({ store, env: io.env, sandbox: sandboxSettings(io.env, target) });
  try {
    await engine.reapOrphans();
  } catch (err) {
    await store.close();
    throw err;
  }
  return engine;
}

/**
 * Opens the database for commands that only read it (runs, show), reaping runs whose
 * owner died as every Waymark process does at start, without loading the engine
 * (engine/reap.ts) and, on SQLite, without the writer thread unless reaping writes
 * (store/open-store.ts). Null when the default database does not exist yet (see
 * `existingTarget`).
 */
export async function openToRead(dbFlag: string | undefined, io: CliIO): Promise<CheckpointStore | null> {
  const target = existingTarget(dbFlag, io);
  if (target === null) return null;
  const [{ openStoreToRead }, { reapAtStart }] = await Promise.all([import('../store/open-store'), import('../engine/reap')]);
  const store = await openStoreToRead(target);
  try {
    await reapAtStart(store, hostname());
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}

/**
 * The database a reading command opens, which must exist: null when it is the default
 * one and it does not exist yet (nothing to show, and nothing is created), and
 * DATABASE_NOT_FOUND for a `--db`/WAYMARK_DB path that does not exist (most likely a typo).
 */
function existingTarget(dbFlag: string | undefined, io: CliIO): string | null {
  const target = databasePath(dbFlag, io.env);
  if (isDatabaseUrl(target) || target === ':memory:' || existsSync(target)) return target;
  if (dbFlag === undefined && io.env.WAYMARK_DB === undefined) return null;
  throw new WaymarkError('DATABASE_NOT_FOUND', `no Waymark database at ${target} (check --db or WAYMARK_DB); nothing was created`);
}

/** The database `--db`/WAYMARK_DB selects, as it may be shown: a URL without its password. */
export function databaseLabel(dbFlag: string | undefined, env: NodeJS.ProcessEnv): string {
  const target = databasePath(dbFlag, env);
  return isDatabaseUrl(target) ? redactUrl(target.trim()) : target;
}

export function writeJson(io: CliIO, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
