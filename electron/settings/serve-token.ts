/**
 * `waymark serve`'s access token, kept per database so that browser tabs left open
 * reconnect when the server restarts: one file per database in the data folder,
 * `serve-tokens/<hash of the database>.json`, readable by the user only (0600) and
 * replaced atomically (private-json-file.ts). It also remembers the port the server last
 * listened on, since a tab can only come back to the same address.
 *
 * A database is known by its resolved file path, or its PostgreSQL URL without password
 * (redactUrl); `:memory:` has no identity and always gets a fresh token. A file that is
 * unreadable, malformed or readable by other users is never trusted: a new token
 * replaces it, with a warning. `--new-token` replaces it on purpose.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { isDatabaseUrl, redactUrl } from '../store/postgres/pg-url';
import { writePrivateJson } from './private-json-file';

export const TOKENS_DIR = 'serve-tokens';
const TOKEN_SHAPE = /^[0-9a-f]{32}$/;

/** What the file holds. `database` names it for a person looking at the folder. */
export interface SavedServeToken {
  version: 1;
  database: string;
  token: string;
  port: number;
}

export interface ServeTokenChoice {
  token: string;
  /** The port the server listened on last time, when known. */
  savedPort: number | null;
  /** True when the token is the saved one. */
  reused: boolean;
  /** Where the token is kept; null when it is not kept (`:memory:`). */
  file: string | null;
  /** The identity written into the file. */
  database: string;
  /** Why a saved token was not used (shown as a warning), when one was there but unusable. */
  warning: string | null;
}

/** What names a database across restarts, or null when nothing does (`:memory:`). */
export function databaseIdentity(target: string): string | null {
  const trimmed = target.trim();
  if (isDatabaseUrl(trimmed)) return redactUrl(trimmed).replace(/^postgresql:/i, 'postgres:');
  if (trimmed === ':memory:' || trimmed === '') return null;
  const path = resolve(trimmed);
  // The real path, so that a symlink or another spelling names the same database; a file
  // not created yet is named through its folder's real path, as it will be once it exists.
  for (const real of [() => realpathSync(path), () => join(realpathSync(dirname(path)), basename(path))]) {
    try {
      return real();
    } catch {
      // try the next
    }
  }
  return path;
}

export function tokenFile(dataDir: string, identity: string): string {
  const hash = createHash('sha256').update(identity).digest('hex').slice(0, 32);
  return join(dataDir, TOKENS_DIR, `${hash}.json`);
}

/**
 * The token to serve `target` with: the saved one, or a new one when `renew` is set,
 * when none was saved, or when the saved one cannot be trusted (`warning` says why).
 */
export function chooseServeToken(options: { dataDir: string; target: string; renew: boolean; newToken: () => string }): ServeTokenChoice {
  const identity = databaseIdentity(options.target);
  const fresh = { token: options.newToken(), savedPort: null, reused: false, database: identity ?? options.target.trim(), warning: null };
  if (identity === null) return { ...fresh, file: null };
  const file = tokenFile(options.dataDir, identity);
  const saved = readSaved(file, identity);
  if (saved === null) return { ...fresh, file };
  if (typeof saved === 'string') return { ...fresh, file, warning: `the saved access token ${file} was not used (${saved}); this server has a new one` };
  const savedPort = saved.port > 0 ? saved.port : null;
  // A new token on purpose keeps the address's port: only the token changes.
  if (options.renew) return { ...fresh, file, savedPort };
  return { token: saved.token, savedPort, reused: true, file, database: identity, warning: null };
}

/**
 * Saves the token and port for the next start. Returns null, or a warning when it could
 * not be saved (the server still runs; tabs will not reconnect after a restart).
 */
export function saveServeToken(choice: ServeTokenChoice, port: number): string | null {
  if (choice.file === null || (choice.reused && choice.savedPort === port)) return null;
  const data: SavedServeToken = { version: 1, database: choice.database, token: choice.token, port };
  try {
    mkdirSync(dirname(choice.file), { recursive: true, mode: 0o700 });
    writePrivateJson(choice.file, data, 'the serve access token');
    return null;
  } catch (err) {
    return `${err instanceof Error ? err.message : String(err)}; open tabs will not reconnect after a restart`;
  }
}

/** The saved token, null when there is none, or why the file cannot be trusted. */
function readSaved(file: string, identity: string): SavedServeToken | string | null {
  let text: string;
  try {
    if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) return 'it was readable by other users';
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return `cannot read it: ${(err as Error).message}`;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'it is not valid JSON';
  }
  if (typeof value !== 'object' || value === null) return 'unexpected format';
  const v = value as Partial<SavedServeToken>;
  if (v.version !== 1 || typeof v.token !== 'string' || !TOKEN_SHAPE.test(v.token)) return 'unexpected format';
  if (v.database !== identity) return `it belongs to another database (${String(v.database)})`;
  const port = Number.isInteger(v.port) && (v.port as number) > 0 && (v.port as number) <= 65535 ? (v.port as number) : 0;
  return { version: 1, database: identity, token: v.token, port };
}
