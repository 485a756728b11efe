/**
 * Where the app's own pages live: `waymark://app/…`, a privileged custom scheme served
 * from dist/renderer by app-protocol.ts. Not file://, which would give the page file
 * system origins and Electron's extra file-protocol privileges. Everything else is
 * foreign: navigation to it is refused, IPC from it is refused.
 */
export const APP_SCHEME = 'waymark';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** True for URLs of the app itself (any path of `waymark://app`). */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}
