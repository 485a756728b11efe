/**
 * What a sandboxed command must not see, decided once per Waymark process: the user's
 * home folder (keys in dotfiles, browser profiles), Waymark's data folder (stored API
 * keys, the default database) and the database in use, wherever `--db` or WAYMARK_DB
 * put it.
 */
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { databasePath, userDataDir } from '../../paths';
import { isDatabaseUrl } from '../../store/postgres/pg-url';

export interface SandboxSettings {
  /**
   * Folders and files hidden from sandboxed commands (absolute paths; missing ones are
   * ignored). A folder that contains the workspace is hidden around it; a folder that
   * IS the workspace cannot be hidden, so list sensitive files in it one by one.
   */
  hiddenPaths: readonly string[];
  /** The bubblewrap program (default: `bwrap` on the PATH). Tests point it at a missing file. */
  bwrapPath?: string;
}

/** The SQLite files of a database: the file itself and its journal, WAL and shared-memory files. */
export function databaseFiles(file: string): string[] {
  return [file, `${file}-wal`, `${file}-shm`, `${file}-journal`];
}

/**
 * The settings for a Waymark process using `database` (default: the one `env` selects,
 * as the desktop app and a CLI without `--db` open it). A PostgreSQL URL names no file
 * on this machine: only the home and data folders are hidden then.
 */
export function sandboxSettings(env: NodeJS.ProcessEnv, database: string = databasePath(undefined, env)): SandboxSettings {
  const homes = [homedir(), env.HOME].filter((p): p is string => Boolean(p));
  const files = isDatabaseUrl(database) ? [] : [dirname(resolve(database)), ...databaseFiles(resolve(database))];
  return { hiddenPaths: [...new Set([...homes, userDataDir(env), ...files])] };
}
