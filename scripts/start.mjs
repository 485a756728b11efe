#!/usr/bin/env node
// `npm start`: the desktop app from this checkout.
//   1. finds the Electron binary — where it is missing (a headless box, no download),
//      says so in one line and points to `npx waymark serve`;
//   2. makes sure better-sqlite3 is built for Electron (scripts/native/ensure-electron-addon.mjs);
//   3. builds the renderer (vite build → dist/renderer) unless --no-build;
//   4. bundles the main process and the preload (scripts/build-electron.mjs);
//   5. launches Electron on this folder; Ctrl+C quits it gracefully (runs are recorded
//      interrupted and can be resumed).
// Arguments after `--` go to the app, e.g. `npm start -- --root ~/flows`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildElectron } from './build-electron.mjs';
import { ensureElectronAddon } from './native/ensure-electron-addon.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The Electron executable, or null when it is not installed (without trying to download it). */
export function electronBinary(env = process.env) {
  const dir = env.WAYMARK_ELECTRON_DIR ?? join(ROOT, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const binary = env.ELECTRON_OVERRIDE_DIST_PATH ? join(env.ELECTRON_OVERRIDE_DIST_PATH, relative) : join(dir, 'dist', relative);
  return existsSync(binary) ? binary : null;
}

function fail(line) {
  process.stderr.write(`${line}\n`);
  process.exit(1);
}

async function main(argv) {
  const separator = argv.indexOf('--');
  const own = separator < 0 ? argv : argv.slice(0, separator);
  const appArgs = separator < 0 ? [] : argv.slice(separator + 1);

  const binary = electronBinary();
  if (!binary) fail('waymark: the Electron binary is not installed here (node_modules/electron/dist is missing) — run the same app in your browser with: npx waymark serve');

  const addon = await ensureElectronAddon({ log: (line) => process.stderr.write(`${line}\n`) });
  if (!addon.ok) fail(addon.message);

  if (!own.includes('--no-build')) {
    const vite = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
    if (vite.status !== 0) fail('waymark: building the renderer failed (see the errors above); fix them and run npm start again');
  }
  try {
    await buildElectron();
  } catch (err) {
    fail(`waymark: bundling the main process failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }

  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  // Its own process group (POSIX), so a terminal's Ctrl+C reaches Electron once, through
  // this script, and not a second time directly: the app treats a second signal as
  // "exit now" (electron/shell/lifecycle.ts).
  const child = spawn(binary, [ROOT, ...appArgs], { cwd: process.cwd(), env, stdio: 'inherit', detached: process.platform !== 'win32' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  process.on('exit', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  });
  child.on('error', (err) => fail(`waymark: could not launch Electron (${binary}): ${err.message}`));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

await main(process.argv.slice(2));
