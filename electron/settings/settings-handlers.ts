/**
 * The `settings.*` channels of the API contract, in two flavours:
 *  - desktop: keys stored with `KeyStore` (safeStorage), falling back to read-only
 *    environment status where the OS cannot protect them;
 *  - serve mode: always read-only — `waymark serve` takes its keys from its environment.
 * Key values travel inbound only (`settings.setKey`); no answer ever contains one. The
 * database in use is shown too (never with a password); the desktop app can choose the
 * one it opens at its next launch (database-setting.ts).
 */
import type { DatabaseStatus, KeyStatus, ParsedReq, Res, SettingsStatus } from '../../shared/api';
import { WaymarkError } from '../../shared/errors';
import { databaseLabel, type DatabaseChoice, type DatabaseSetting } from './database-setting';
import type { KeyStore } from './key-store';

export type SettingsChannel = 'settings.get' | 'settings.setKey' | 'settings.clearKey' | 'settings.setDatabase';
export type SettingsHandlers = { [C in SettingsChannel]: (req: ParsedReq<C>) => Res<C> | Promise<Res<C>> };

/** Always listed, set or not: the built-in providers' keys (SPEC §2). */
export const BUILTIN_KEY_NAMES = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY'] as const;

const SERVE_NOTICE = 'In serve mode, API keys are read from the environment of `waymark serve`: set them there (e.g. OPENAI_API_KEY=… npx waymark serve) and restart it.';

/** The desktop app's Database setting and what it opened at launch. */
export interface DesktopDatabase {
  setting: DatabaseSetting;
  inUse: DatabaseChoice;
}

const SERVE_DATABASE = 'In serve mode, the database is chosen with `waymark serve --db` or WAYMARK_DB.';

export function desktopSettingsHandlers(store: KeyStore, env: NodeJS.ProcessEnv = process.env, database?: DesktopDatabase): SettingsHandlers {
  const status = (): SettingsStatus => {
    const state = store.storage();
    const { values, unreadable } = store.readAll();
    const stored = new Set([...Object.keys(values)]);
    const keys = statuses([...store.names()], env, (name) => (stored.has(name) ? 'stored' : unreadable.includes(name) ? 'unreadable' : null));
    const db = database ? { database: database.setting.status(database.inUse) } : {};
    if (state.kind === 'encrypted') return { storage: 'encrypted', backend: state.backend, writable: true, keys, ...db };
    return { storage: 'unavailable', ...(state.backend ? { backend: state.backend } : {}), notice: state.notice, writable: false, keys, ...db };
  };
  return {
    'settings.get': () => status(),
    'settings.setKey': ({ name, value }) => {
      store.set(name, value);
      return status();
    },
    'settings.clearKey': ({ name }) => {
      store.clear(name);
      return status();
    },
    'settings.setDatabase': ({ database: value }) => {
      if (!database) throw new WaymarkError('USAGE', 'the database cannot be chosen here');
      database.setting.set(value);
      return status();
    },
  };
}

/**
 * Serve mode: which keys the server's environment has and (`inUse`) which database it
 * serves; changing them is refused with the reason.
 */
export function environmentSettingsHandlers(env: NodeJS.ProcessEnv = process.env, inUse?: DatabaseChoice): SettingsHandlers {
  const database: DatabaseStatus | undefined = inUse && { inUse: databaseLabel(inUse.target), source: inUse.source, setting: null, restartNeeded: false, writable: false };
  const status = (): SettingsStatus => ({ storage: 'environment', notice: SERVE_NOTICE, writable: false, keys: statuses([], env, () => null), ...(database ? { database } : {}) });
  const refuse = (why: string) => (): never => {
    throw new WaymarkError('USAGE', why);
  };
  return { 'settings.get': () => status(), 'settings.setKey': refuse(SERVE_NOTICE), 'settings.clearKey': refuse(SERVE_NOTICE), 'settings.setDatabase': refuse(SERVE_DATABASE) };
}

function statuses(extra: string[], env: NodeJS.ProcessEnv, storedSource: (name: string) => 'stored' | 'unreadable' | null): KeyStatus[] {
  const names = [...new Set<string>([...BUILTIN_KEY_NAMES, ...extra.sort()])];
  return names.map((name) => {
    const inEnvironment = Boolean(env[name]?.trim());
    return { name, source: storedSource(name) ?? (inEnvironment ? 'environment' : 'missing'), inEnvironment };
  });
}
