#!/usr/bin/env node
// `npm run build`, and the `prepare` script that `npm install` / `npm ci` run in a
// checkout: builds everything a user runs, offline, without the Electron binary:
//   dist/renderer/   the web app (vite build): the desktop window and `waymark serve`
//   dist/cli/        the command line, bin/waymark.mjs runs it (scripts/build-electron.mjs)
//   dist/electron/   the desktop main process, its writer thread and the preload
// Quiet when it works (warnings still show); when it fails, says what failed and why,
// and exits 1, which fails the install.
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildElectron } from './build-electron.mjs';
import { pruneCli } from './cli-stamp.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

class StepFailed extends Error {}

/** vite build; its own errors are on stderr already. */
function buildRenderer() {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (err) => fail(new StepFailed(`building the web app failed: ${err.message}`)));
    child.on('exit', (code, signal) => (code === 0 ? done() : fail(new StepFailed(`building the web app failed (vite exited with ${signal ?? code}; its errors are above)`))));
  });
}

async function bundle() {
  try {
    await buildElectron();
  } catch (err) {
    const first = err?.errors?.[0];
    const where = first?.location ? `${first.location.file}:${first.location.line}:${first.location.column}: ${first.text}` : err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new StepFailed(`bundling the command line and the desktop app failed: ${where}`);
  }
  pruneCli();
}

// Both at once: vite runs in its own process, esbuild in this one.
const results = await Promise.allSettled([buildRenderer(), bundle()]);
const failures = results.filter((r) => r.status === 'rejected').map((r) => r.reason);
for (const err of failures) {
  process.stderr.write(`waymark: ${err instanceof StepFailed ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
}
if (failures.length > 0) {
  process.stderr.write('waymark: the build failed; fix the above and run `npm run build` (npm install runs it too)\n');
  process.exit(1);
}
