/** What every CLI command needs: output streams, the database, and error-to-exit-code rules. */
import { formatError, toErrorData, type ErrorCode } from '../../shared/errors';
import { EXIT_CODES } from '../../shared/status';
import { Engine } from '../engine/engine';
import { databasePath } from '../paths';
import { SqliteStore } from '../store/sqlite-store';

export interface CliIO {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

/** Errors that mean "the request was refused": usage, validation, nothing to resume. */
const REFUSED: readonly ErrorCode[] = ['USAGE', 'FLOW_INVALID', 'FLOW_NOT_FOUND', 'INPUT_MISSING', 'RUN_NOT_FOUND', 'RUN_NOT_RESUMABLE', 'RUN_OWNED', 'CHECKPOINT_CORRUPT', 'DATABASE_TOO_NEW'];

export function exitCodeForError(err: unknown): number {
  return REFUSED.includes(toErrorData(err).code) ? EXIT_CODES.usage : EXIT_CODES.failed;
}

export function reportError(io: CliIO, err: unknown): void {
  const data = toErrorData(err);
  const text = formatError(data);
  io.stderr.write(text.includes('\n') ? `${text}\n` : `error: ${text}\n`);
}

/** Opens the database and an engine, reaping runs whose owner died (SPEC §1). */
export function openEngine(dbFlag: string | undefined, io: CliIO): Engine {
  const store = SqliteStore.open(databasePath(dbFlag, io.env));
  const engine = new Engine({ store, env: io.env });
  engine.reapOrphans();
  return engine;
}

export function writeJson(io: CliIO, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
