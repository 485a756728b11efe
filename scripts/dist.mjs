#!/usr/bin/env node
// `npm run dist`: installers for the desktop app, from electron-builder.yml, into release/.
//   Linux: AppImage + deb   macOS: dmg   Windows: NSIS
// Builds for the current OS by default; arguments go to electron-builder
// (e.g. `npm run dist -- --linux deb`, `npm run dist -- --dir` for an unpacked app).
//
// electron-builder rebuilds node_modules/better-sqlite3 for Electron in place. The Node
// build that tests, the CLI and `waymark serve` load is set aside first and put back
// afterwards, so packaging never breaks the development checkout.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildElectron } from './build-electron.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NODE_ADDON = join(ROOT, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

function fail(line) {
  process.stderr.write(`${line}\n`);
  process.exit(1);
}

const vite = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
if (vite.status !== 0) fail('waymark: building the renderer failed (see the errors above)');
try {
  await buildElectron({ sourcemap: false });
} catch (err) {
  fail(`waymark: bundling the main process failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
}

const saved = mkdtempSync(join(tmpdir(), 'waymark-dist-'));
const backup = join(saved, 'better_sqlite3.node');
if (existsSync(NODE_ADDON)) copyFileSync(NODE_ADDON, backup);
let status;
try {
  const builder = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'electron-builder', 'cli.js'), '--config', 'electron-builder.yml', ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' });
  status = builder.status ?? 1;
} finally {
  if (existsSync(backup)) copyFileSync(backup, NODE_ADDON);
  rmSync(saved, { recursive: true, force: true });
}
if (status !== 0) {
  fail('waymark: electron-builder failed (see above). It downloads Electron and native prebuilds, so it needs the network; installers for macOS must be built on macOS, for Windows on Windows or with Wine.');
}
process.stderr.write(`installers are in ${join(ROOT, 'release')}\n`);
