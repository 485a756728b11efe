/**
 * Which better-sqlite3 addon the desktop app loads. The one in node_modules is built for
 * Node (tests, CLI, serve); Electron has another ABI. In development the app loads a
 * separate Electron build from build/native/electron-<version>/ (made by
 * scripts/native/ensure-electron-addon.mjs, which `npm start` runs) through
 * better-sqlite3's `nativeBinding` option; a packaged app has node_modules rebuilt for
 * Electron by electron-builder and needs no option.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ADDON_FILE = 'better_sqlite3.node';

/** build/native/electron-<version>/better_sqlite3.node under the project root. */
export function electronAddonPath(projectRoot: string, electronVersion: string): string {
  return join(projectRoot, 'build', 'native', `electron-${electronVersion}`, ADDON_FILE);
}

export type NativeBinding = { ok: true; nativeBinding?: string } | { ok: false; message: string };

export function nativeBindingFor(options: { isPackaged: boolean; appRoot: string; electronVersion: string; exists?: (path: string) => boolean }): NativeBinding {
  if (options.isPackaged) return { ok: true };
  const path = electronAddonPath(options.appRoot, options.electronVersion);
  if ((options.exists ?? existsSync)(path)) return { ok: true, nativeBinding: path };
  return {
    ok: false,
    message: `better-sqlite3 is not built for Electron ${options.electronVersion} (${path} is missing): run "node scripts/native/ensure-electron-addon.mjs" (npm start runs it), or use "npx waymark serve".`,
  };
}
