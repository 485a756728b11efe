/** The settings commands on the page's one API connection and the app's store. */
import { getApi } from '../api/get-api';
import { appStore } from '../state/store';
import { createSettingsCommands, type SettingsCommands } from './settings-commands';

let commands: SettingsCommands | null = null;

export function settingsCommands(): SettingsCommands {
  commands ??= createSettingsCommands(getApi().api, appStore);
  return commands;
}
