/** What every CLI command needs: output streams, the database, and error-to-exit-code rules. */
import { existsSync } from 'node:fs';
import { WaymarkError, formatError, toErrorData, type ErrorCode } from '../../shared/errors';
import { EXIT_CODES } from '../../shared/status';
import { Engine } from '../engine/engine';
import { sandboxSettings } from '../engine/sandbox/settings';
import { databasePath } from '../paths';
import { SqliteStore } from '../store/sqlite-store';

export interface CliIO {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

/** Errors that mean "the request was refused": usage, validation, nothing to resume. */
const REFUSED: readonly ErrorCode[] = ['USAGE', 'FLOW_INVALID', 'FLOW_NOT_FOUND', 'INPUT_MISSING', 'RUN_NOT_FOUND', 'RUN_NOT_RESUMABLE', 'RUN_OWNED', 'CHECKPOINT_CORRUPT', 'DATABASE_TOO_NEW', 'DATABASE_NOT_FOUND'];

export function exitCodeForError(err: unknown): number {
  return REFUSED.includes(toErrorData(err).code) ? EXIT_CODES.usage : EXIT_CODES.failed;
}

export function reportError(io: CliIO, err: unknown): void {
  const data = toErrorData(err);
  const text = formatError(data);
  io.stderr.write(text.includes('\n') ? `${text}\n` : `error: ${text}\n`);
}

/**
 * Opens the database and an engine, reaping runs whose owner died (SPEC §1).
 * `readOnly` commands (runs, show) never create a database: they get `null` when the
 * default one does not exist yet, and DATABASE_NOT_FOUND for a `--db`/WAYMARK_DB path
 * that does not exist (most likely a typo).
 */
export function openEngine(dbFlag: string | undefined, io: CliIO): Engine;
export function openEngine(dbFlag: string | undefined, io: CliIO, options: { readOnly: true }): Engine | null;
export function openEngine(dbFlag: string | undefined, io: CliIO, options: { readOnly?: boolean } = {}): Engine | null {
  const path = databasePath(dbFlag, io.env);
  if (options.readOnly && path !== ':memory:' && !existsSync(path)) {
    if (dbFlag === undefined && io.env.WAYMARK_DB === undefined) return null;
    throw new WaymarkError('DATABASE_NOT_FOUND', `no Waymark database at ${path} (check --db or WAYMARK_DB); nothing was created`);
  }
  const store = SqliteStore.open(path);
  // Sandboxed commands must not see this database, wherever --db or WAYMARK_DB put it.
  const engine = new Engine({ store, env: io.env, sandbox: sandboxSettings(io.env, databasePath(dbFlag, io.env)) });
  engine.reapOrphans();
  return engine;
}

export function writeJson(io: CliIO, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
