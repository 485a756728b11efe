/**
 * settings.get / setKey / clearKey, with the answer kept in the settings slice. A key's
 * value goes out in one request and is never kept: not in the store, not in the answer.
 */
import type { WaymarkApi } from '../../shared/api';
import { messageOf } from '../state/commands';
import type { WaymarkStore } from '../state/store';

export interface SettingsCommands {
  load(): Promise<void>;
  /** Resolves true when the key was stored. */
  setKey(name: string, value: string): Promise<boolean>;
  clearKey(name: string): Promise<boolean>;
  /** The database the desktop app opens from its next launch ('' = the default); true when saved. */
  setDatabase(database: string): Promise<boolean>;
}

export function createSettingsCommands(api: WaymarkApi, store: WaymarkStore): SettingsCommands {
  const s = () => store.getState();
  const change = async (name: string, what: string, call: () => ReturnType<WaymarkApi['settings.get']>) => {
    s().setSettingsBusy(name);
    try {
      s().setSettings(await call());
      return true;
    } catch (err) {
      s().setSettingsError(`Could not ${what} ${name}: ${messageOf(err)}`);
      return false;
    } finally {
      s().setSettingsBusy(null);
    }
  };
  return {
    async load() {
      try {
        s().setSettings(await api['settings.get']({}));
      } catch (err) {
        s().setSettingsError(`Could not read the settings: ${messageOf(err)}`);
      }
    },
    setKey: (name, value) => change(name, 'store', () => api['settings.setKey']({ name, value })),
    clearKey: (name) => change(name, 'clear', () => api['settings.clearKey']({ name })),
    setDatabase: (database) => change('database', 'choose the', () => api['settings.setDatabase']({ database })),
  };
}
