#!/usr/bin/env node
// Entry point of the `waymark` command: runs the built command line, dist/cli/waymark.mjs,
// which `npm install` builds (the `prepare` script, scripts/build.mjs).
//
// In a checkout the bundle is first checked against the sources it was built from
// (scripts/cli-stamp.mjs: one small read and a stat per source file, about 2 ms).
// When a source changed since, or nothing is built yet, the command line is rebuilt
// before it runs (esbuild, well under a second) with a one-line note on stderr; if that
// build fails, the sources run through tsx instead (slower), with a note saying why.
// Stack traces point into the bundle; NODE_OPTIONS=--enable-source-maps maps them back
// to the TypeScript sources (at some cost in start-up time, so it is not the default).
import { existsSync } from 'node:fs';
import module from 'node:module';
import { pathToFileURL } from 'node:url';
import { CLI_ENTRY, cliStaleness } from '../scripts/cli-stamp.mjs';

// Node 22.1+ keeps compiled code of the bundle on disk between runs: a faster start.
module.enableCompileCache?.();

// `waymark runs | head -1`: the reader went away. Drop the rest of the output quietly
// (no EPIPE stack trace); a running flow still finishes and records its outcome.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

const SOURCE_MAIN = new URL('../electron/cli/main.ts', import.meta.url);

/** The `main` of the command line: the bundle, rebuilt first if stale, else the sources. */
async function loadMain() {
  const stale = existsSync(SOURCE_MAIN) ? cliStaleness() : null;
  if (stale) {
    try {
      const started = performance.now();
      const { buildCli } = await import('../scripts/build-electron.mjs');
      await buildCli({ logLevel: 'silent' });
      process.stderr.write(`waymark: rebuilt the command line (${stale}) in ${Math.round(performance.now() - started)} ms\n`);
    } catch (err) {
      const reason = buildError(err);
      process.stderr.write(`waymark: could not rebuild the command line (${reason}); running the sources through tsx instead (slower)\n`);
      const { register } = await import('tsx/esm/api');
      register();
      return (await import(SOURCE_MAIN.href)).main;
    }
  }
  if (!existsSync(CLI_ENTRY)) {
    process.stderr.write('waymark: the command line is not built (dist/cli/waymark.mjs is missing): run `npm run build`\n');
    process.exit(1);
  }
  return (await import(pathToFileURL(CLI_ENTRY).href)).main;
}

/** esbuild's first error as `file:line:column: text`, else the error's first line. */
function buildError(err) {
  const first = err?.errors?.[0];
  if (first?.location) return `${first.location.file}:${first.location.line}:${first.location.column}: ${first.text}`;
  return err instanceof Error ? err.message.split('\n')[0] : String(err);
}

const main = await loadMain();
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
