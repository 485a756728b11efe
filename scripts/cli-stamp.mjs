// Is the built command line (dist/cli) up to date with the sources it was built from?
//
// The rule, chosen to cost about 2 ms at every start: a build of the CLI bundle
// writes dist/cli/build-stamp.json, listing the files of this repository that went into
// it (from esbuild's metafile, plus package.json and the build scripts), and sets the
// stamp's mtime to the moment the build STARTED. The bundle is stale when the stamp is
// missing, or when one of those files is missing or has a newer mtime than the stamp (a
// file saved while a build ran counts as changed). A new source file can only matter
// once a listed file imports it, which changes that file. Dependencies in node_modules
// are not listed: `npm install` rebuilds everything (the `prepare` script).
import { readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_DIR = join(ROOT, 'dist', 'cli');
export const CLI_ENTRY = join(CLI_DIR, 'waymark.mjs');
const STAMP = 'build-stamp.json';

/** Files besides the bundle's inputs whose change calls for a rebuild. */
const BUILD_FILES = ['package.json', 'scripts/build-electron.mjs', 'scripts/build/plugins.mjs'];

/**
 * Records a finished build of the CLI bundle into `dir`. `inputs`: esbuild metafile
 * input paths (relative to `root`); `outputs`: the files the build wrote (absolute);
 * `startedAt`: Date.now() when the build began.
 */
export function writeCliStamp(dir, { inputs, outputs }, startedAt, root = ROOT) {
  const own = inputs.filter((p) => !p.split(/[\\/]/).includes('node_modules') && !p.includes(':'));
  const files = [...new Set([...own, ...BUILD_FILES])].map((p) => relative(root, resolve(root, p)).split(sep).join('/')).sort();
  const built = outputs.map((p) => relative(dir, p).split(sep).join('/')).sort();
  const path = join(dir, STAMP);
  writeFileSync(path, `${JSON.stringify({ files, outputs: built }, null, 1)}\n`);
  const when = new Date(startedAt);
  utimesSync(path, when, when);
}

/** Why dist/cli cannot be run as is ("not built yet", "electron/x.ts changed"), or null when it is up to date. */
export function cliStaleness(root = ROOT) {
  const dir = join(root, 'dist', 'cli');
  const stamp = statSync(join(dir, STAMP), { throwIfNoEntry: false });
  if (!stamp || !statSync(join(dir, 'waymark.mjs'), { throwIfNoEntry: false })) return 'it is not built yet';
  let files;
  try {
    files = JSON.parse(readFileSync(join(dir, STAMP), 'utf8')).files;
  } catch {
    return `${STAMP} is unreadable`;
  }
  if (!Array.isArray(files)) return `${STAMP} is unreadable`;
  for (const file of files) {
    const st = statSync(join(root, file), { throwIfNoEntry: false });
    if (!st) return `${file} was removed`;
    if (st.mtimeMs > stamp.mtimeMs) return `${file} changed`;
  }
  return null;
}

/**
 * Deletes what earlier builds left in dist/cli (chunks with other hashes). Only the full
 * build does this (scripts/build.mjs): a rebuild on the fly must not pull chunks from
 * under a process that started before it and has yet to load them.
 */
export function pruneCli(dir = CLI_DIR) {
  let outputs;
  try {
    outputs = new Set(JSON.parse(readFileSync(join(dir, STAMP), 'utf8')).outputs);
  } catch {
    return;
  }
  for (const name of readdirSync(dir)) if (name !== STAMP && !outputs.has(name)) rmSync(join(dir, name), { force: true });
}
