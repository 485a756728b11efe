/**
 * Where Waymark keeps its data. The CLI computes the same folder Electron's
 * `app.getPath('userData')` gives the desktop app, so both share one database.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'Waymark';
export const DB_FILE = 'waymark.db';

export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME);
}

/** `--db`, else WAYMARK_DB, else the user data folder. */
export function databasePath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.WAYMARK_DB ?? join(userDataDir(env), DB_FILE);
}
