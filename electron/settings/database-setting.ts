/**
 * The desktop app's Database setting (SPEC §7): which database it opens at launch, a
 * SQLite file or a `postgres://` URL, kept in `settings.json` in the user data folder.
 * WAYMARK_DB wins over it (as for the CLI); without either, the default file.
 *
 * A change takes effect at the next launch: the engine keeps the database it opened.
 * A URL may carry a password; the file is written for the user only, and nothing this
 * module answers ever contains one (redactUrl).
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { DatabaseStatus } from '../../shared/api';
import { WaymarkError } from '../../shared/errors';
import { isDatabaseUrl, redactUrl } from '../store/postgres/pg-url';
import { writePrivateJson } from './private-json-file';

export const APP_SETTINGS_FILE = 'settings.json';

export interface DatabaseChoice {
  target: string;
  source: DatabaseStatus['source'];
}

interface SettingsFile {
  version: 1;
  database?: string;
}

/** What shows a database: a path as is, a URL without its password. */
export const databaseLabel = (target: string): string => (isDatabaseUrl(target) ? redactUrl(target.trim()) : target);

export class DatabaseSetting {
  constructor(
    private readonly file: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly defaultPath: string,
  ) {}

  /** What a launch opens now: WAYMARK_DB, else the setting, else the default file. */
  choose(): DatabaseChoice {
    if (this.env.WAYMARK_DB) return { target: this.env.WAYMARK_DB, source: 'environment' };
    const saved = this.read().database;
    return saved ? { target: saved, source: 'setting' } : { target: this.defaultPath, source: 'default' };
  }

  /** What the Settings view shows, given what this process opened at launch. */
  status(inUse: DatabaseChoice): DatabaseStatus {
    const saved = this.read().database;
    return {
      inUse: databaseLabel(inUse.target),
      source: inUse.source,
      setting: saved === undefined ? null : databaseLabel(saved),
      restartNeeded: this.choose().target !== inUse.target,
      writable: true,
    };
  }

  /** Saves `value` (an absolute file path or a postgres:// URL); '' goes back to the default. Throws USAGE. */
  set(value: string): void {
    const database = value.trim();
    if (database !== '') check(database);
    const data = this.read();
    if (database === '') delete data.database;
    else data.database = database;
    this.write(data);
  }

  private read(): SettingsFile {
    if (!existsSync(this.file)) return { version: 1 };
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<SettingsFile>;
      if (parsed.version !== 1) throw new Error('unexpected format');
      return { version: 1, ...(typeof parsed.database === 'string' && parsed.database.trim() ? { database: parsed.database.trim() } : {}) };
    } catch (err) {
      throw new WaymarkError('STORE_FAILED', `the settings file ${this.file} cannot be read (${(err as Error).message}); delete it to go back to the defaults`);
    }
  }

  /** Atomic replace, readable by the user only (a URL may hold a password). */
  private write(data: SettingsFile): void {
    writePrivateJson(this.file, data, 'the settings file');
  }
}

function check(database: string): void {
  if (isDatabaseUrl(database)) {
    if (!URL.canParse(database)) throw new WaymarkError('USAGE', `${databaseLabel(database)} is not a valid URL: use postgres://USER@HOST:PORT/DATABASE`);
    return;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(database)) throw new WaymarkError('USAGE', 'only postgres:// and postgresql:// URLs are supported; anything else is a database file path');
  if (!isAbsolute(database)) throw new WaymarkError('USAGE', `"${database}" is not an absolute path: give the full path of the database file, or a postgres:// URL`);
}
