/** The Settings view's state: where keys are kept and which are set. Key values never reach the renderer's state. */
import type { SettingsStatus } from '../../shared/api';
import type { SliceCreator } from './types';

export interface SettingsSlice {
  settings: SettingsStatus | null;
  settingsError: string | null;
  /** The key being saved or cleared, so its row can show it. */
  settingsBusy: string | null;
  setSettings(status: SettingsStatus): void;
  setSettingsError(message: string | null): void;
  setSettingsBusy(name: string | null): void;
}

export const createSettingsSlice: SliceCreator<SettingsSlice> = (set) => ({
  settings: null,
  settingsError: null,
  settingsBusy: null,
  setSettings: (settings) => set({ settings, settingsError: null }),
  setSettingsError: (settingsError) => set({ settingsError }),
  setSettingsBusy: (settingsBusy) => set({ settingsBusy }),
});
