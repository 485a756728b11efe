#!/usr/bin/env node
// Makes sure a better-sqlite3 addon built for Electron exists at
//   build/native/electron-<electron version>/better_sqlite3.node
// without touching node_modules/better-sqlite3, whose Node build the tests, the CLI and
// `waymark serve` keep using. The desktop app (in development) loads this file through
// better-sqlite3's `nativeBinding` option (electron/shell/native-addon.ts). Packaged apps
// do not need it: electron-builder rebuilds node_modules for Electron.
//
// How, in a temporary copy of node_modules/better-sqlite3 (first that works):
//   1. prebuild-install --runtime electron --target <version>   (downloads a prebuilt binary)
//   2. @electron/rebuild, building from source with Electron's headers
//   3. node-gyp rebuild --target <version> --dist-url <Electron headers>
// Failure prints ONE actionable line (details in build/native/electron-<version>/build.log).
//
// Usage: node scripts/native/ensure-electron-addon.mjs [--force] [--print-path] [--quiet]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(ROOT, 'package.json'));
const ADDON_FILE = 'better_sqlite3.node';
const HEADERS_URL = 'https://electronjs.org/headers';
const STEP_TIMEOUT_MS = 10 * 60_000;

/** The Electron version of node_modules/electron, or null when it is not installed. */
export function electronVersion(root = ROOT) {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/** Must match electronAddonPath() in electron/shell/native-addon.ts (a test checks it). */
export function addonPath(version, root = ROOT) {
  return join(root, 'build', 'native', `electron-${version}`, ADDON_FILE);
}

/** What the addon was built from; a different better-sqlite3, platform or arch means rebuild. */
function stampOf(root) {
  const pkg = JSON.parse(readFileSync(join(root, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8'));
  return { betterSqlite3: pkg.version, platform: process.platform, arch: process.arch };
}

/**
 * Ensures the addon; resolves { ok: true, path, built } or { ok: false, message } where
 * `message` is the one line to show.
 */
export async function ensureElectronAddon({ root = ROOT, force = false, log = () => {} } = {}) {
  const version = electronVersion(root);
  if (!version) return { ok: false, message: 'waymark: the electron package is not installed (run npm install).' };
  const target = addonPath(version, root);
  const dir = dirname(target);
  const stampFile = join(dir, 'addon.json');
  const stamp = stampOf(root);
  if (!force && existsSync(target) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === JSON.stringify(stamp)) return { ok: true, path: target, built: false };

  mkdirSync(dir, { recursive: true });
  const logFile = join(dir, 'build.log');
  const lines = [];
  const work = mkdtempSync(join(tmpdir(), 'waymark-addon-'));
  try {
    const pkgDir = join(work, 'node_modules', 'better-sqlite3');
    cpSync(join(root, 'node_modules', 'better-sqlite3'), pkgDir, { recursive: true, filter: (src) => !src.startsWith(join(root, 'node_modules', 'better-sqlite3', 'build')) });
    writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'waymark-addon-build', version: '0.0.0', private: true, dependencies: { 'better-sqlite3': stamp.betterSqlite3 } }));
    const built = join(pkgDir, 'build', 'Release', ADDON_FILE);
    const steps = [
      ['prebuild-install', () => run(process.execPath, [require.resolve('prebuild-install/bin.js'), '--runtime=electron', `--target=${version}`, `--arch=${process.arch}`, `--platform=${process.platform}`, '--verbose'], pkgDir, lines)],
      ['@electron/rebuild', () => electronRebuild(work, version, lines)],
      ['node-gyp', () => run(process.execPath, [require.resolve('node-gyp/bin/node-gyp.js'), 'rebuild', '--release', `--target=${version}`, `--arch=${process.arch}`, `--dist-url=${HEADERS_URL}`], pkgDir, lines)],
    ];
    for (const [name, step] of steps) {
      log(`better-sqlite3 for Electron ${version}: trying ${name}`);
      lines.push(`--- ${name}`);
      const ok = await step().catch((err) => {
        lines.push(String(err?.stack ?? err));
        return false;
      });
      if (ok && existsSync(built)) {
        cpSync(built, target);
        writeFileSync(stampFile, JSON.stringify(stamp));
        writeFileSync(logFile, lines.join('\n'));
        return { ok: true, path: target, built: true };
      }
    }
    writeFileSync(logFile, lines.join('\n'));
    const offline = lines.some((l) => /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo|network/i.test(l));
    return {
      ok: false,
      message: `waymark: could not get better-sqlite3 for Electron ${version}${offline ? ' (no network?)' : ''}: connect to the internet (or install python3, make and a C++ compiler) and run "node scripts/native/ensure-electron-addon.mjs" — details in ${logFile}; meanwhile "npx waymark serve" runs the app in a browser.`,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** @electron/rebuild in a child process, so its workers' output lands in the log, not the terminal. */
function electronRebuild(buildPath, electronVersion, lines) {
  let entry;
  try {
    entry = pathToFileURL(require.resolve('@electron/rebuild')).href;
  } catch (err) {
    lines.push(`@electron/rebuild is not installed: ${err.message}`);
    return Promise.resolve(false);
  }
  const options = { buildPath, electronVersion, arch: process.arch, onlyModules: ['better-sqlite3'], force: true, buildFromSource: true, mode: 'sequential' };
  const script = `const { rebuild } = await import(${JSON.stringify(entry)}); await rebuild(${JSON.stringify(options)});`;
  return run(process.execPath, ['--input-type=module', '-e', script], buildPath, lines);
}

function run(command, args, cwd, lines) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: STEP_TIMEOUT_MS, env: { ...process.env, npm_config_runtime: 'electron' } });
  lines.push(`$ ${[command, ...args].join(' ')}`, result.stdout ?? '', result.stderr ?? '', result.error ? String(result.error) : `exit ${result.status}`);
  return Promise.resolve(result.status === 0);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  if (args.includes('--print-path')) {
    const version = electronVersion();
    process.stdout.write(`${version ? addonPath(version) : ''}\n`);
    process.exit(version ? 0 : 1);
  }
  const quiet = args.includes('--quiet');
  const result = await ensureElectronAddon({ force: args.includes('--force'), log: quiet ? () => {} : (line) => process.stderr.write(`${line}\n`) });
  if (!result.ok) {
    process.stderr.write(`${result.message}\n`);
    process.exit(1);
  }
  if (!quiet || result.built) process.stderr.write(`better-sqlite3 for Electron: ${result.path}${result.built ? ' (built)' : ''}\n`);
}
