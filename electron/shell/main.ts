/**
 * The Electron main process entry (bundled to dist/electron/main.cjs, package.json
 * "main"). The only module that hands the real `electron` to the shell; everything else
 * takes it as a parameter, so it is testable without the Electron binary.
 */
import * as electron from 'electron';
import { startDesktopApp } from './app';
import type { ShellElectron } from './electron-deps';

const shell: ShellElectron = electron;

startDesktopApp({
  electron: shell,
  argv: process.argv,
  env: process.env,
  cwd: process.cwd(),
  electronVersion: process.versions.electron ?? 'unknown',
  signals: process,
}).catch((err: unknown) => {
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`Waymark failed to start: ${message}\n`);
  try {
    electron.dialog.showErrorBox('Waymark failed to start', message);
  } finally {
    electron.app.exit(1);
  }
});
