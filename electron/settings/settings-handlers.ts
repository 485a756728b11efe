/**
 * The `settings.*` channels of the API contract, in two flavours:
 *  - desktop: keys stored with `KeyStore` (safeStorage), falling back to read-only
 *    environment status where the OS cannot protect them;
 *  - serve mode: always read-only — `waymark serve` takes its keys from its environment.
 * Key values travel inbound only (`settings.setKey`); no answer ever contains one.
 */
import type { KeyStatus, ParsedReq, Res, SettingsStatus } from '../../shared/api';
import { WaymarkError } from '../../shared/errors';
import type { KeyStore } from './key-store';

export type SettingsChannel = 'settings.get' | 'settings.setKey' | 'settings.clearKey';
export type SettingsHandlers = { [C in SettingsChannel]: (req: ParsedReq<C>) => Res<C> | Promise<Res<C>> };

/** Always listed, set or not: the built-in providers' keys (SPEC §2). */
export const BUILTIN_KEY_NAMES = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY'] as const;

const SERVE_NOTICE = 'In serve mode, API keys are read from the environment of `waymark serve`: set them there (e.g. OPENAI_API_KEY=… npx waymark serve) and restart it.';

export function desktopSettingsHandlers(store: KeyStore, env: NodeJS.ProcessEnv = process.env): SettingsHandlers {
  const status = (): SettingsStatus => {
    const state = store.storage();
    const { values, unreadable } = store.readAll();
    const stored = new Set([...Object.keys(values)]);
    const keys = statuses([...store.names()], env, (name) => (stored.has(name) ? 'stored' : unreadable.includes(name) ? 'unreadable' : null));
    if (state.kind === 'encrypted') return { storage: 'encrypted', backend: state.backend, writable: true, keys };
    return { storage: 'unavailable', ...(state.backend ? { backend: state.backend } : {}), notice: state.notice, writable: false, keys };
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
  };
}

/** Serve mode: which keys the server's environment has; changing them is refused with the reason. */
export function environmentSettingsHandlers(env: NodeJS.ProcessEnv = process.env): SettingsHandlers {
  const status = (): SettingsStatus => ({ storage: 'environment', notice: SERVE_NOTICE, writable: false, keys: statuses([], env, () => null) });
  const refuse = (): never => {
    throw new WaymarkError('USAGE', SERVE_NOTICE);
  };
  return { 'settings.get': () => status(), 'settings.setKey': refuse, 'settings.clearKey': refuse };
}

function statuses(extra: string[], env: NodeJS.ProcessEnv, storedSource: (name: string) => 'stored' | 'unreadable' | null): KeyStatus[] {
  const names = [...new Set<string>([...BUILTIN_KEY_NAMES, ...extra.sort()])];
  return names.map((name) => {
    const inEnvironment = Boolean(env[name]?.trim());
    return { name, source: storedSource(name) ?? (inEnvironment ? 'environment' : 'missing'), inEnvironment };
  });
}
