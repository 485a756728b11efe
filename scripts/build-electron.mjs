#!/usr/bin/env node
// The bundles of Waymark's Node code, one table, built with esbuild:
//   dist/cli/waymark.mjs             the command line, electron/cli/main.ts (ES module; its
//                                    lazily loaded parts are chunks beside it, see below)
//   dist/cli/sqlite-writer.cjs       the SQLite store's writer thread, for the command line
//   dist/electron/main.cjs           the Electron main process, electron/shell/main.ts
//   dist/electron/sqlite-writer.cjs  the writer thread, for the desktop app
//   dist/electron/preload.cjs        electron/preload/preload.ts (one CommonJS file: sandboxed
//                                    preloads cannot load ES modules or other files)
// The writer thread is found beside the code that starts it
// (electron/store/sqlite-writer-script.ts: `new URL('./sqlite-writer.cjs', import.meta.url)`),
// so every bundle that may open a SQLite store names it in `with`, and the CLI's chunks
// sit in the same folder as its entry. Native and optional modules stay external:
// better-sqlite3 (a native addon), pg-native (pg's optional native binding, not
// installed), electron (the runtime), esbuild (only the run-from-source path imports it).
// Every build of the CLI also writes dist/cli/build-stamp.json (scripts/cli-stamp.mjs).
//
// Usage: node scripts/build-electron.mjs [--out DIR] [--only cli|main|preload|...]
import { build } from 'esbuild';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeCliStamp } from './cli-stamp.mjs';
import { channelListPlugin, zodEnglishOnlyPlugin } from './build/plugins.mjs';
import { writeOutputs } from './build/write-outputs.mjs';

export { contractChannels } from './build/plugins.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WRITER = 'electron/store/sqlite-writer-thread.ts';
const NODE_EXTERNAL = ['better-sqlite3', 'pg-native', 'esbuild'];

/** `import.meta.url` in a CommonJS bundle: the bundle file's own URL (esbuild would leave it empty). */
const IMPORT_META_URL = {
  banner: "var __waymark_import_meta_url = require('node:url').pathToFileURL(__filename).href;",
  define: { 'import.meta.url': '__waymark_import_meta_url' },
};

/** `require` inside an ES module bundle, for the CommonJS packages bundled into it. */
const ESM_REQUIRE = "import { createRequire as __waymarkCreateRequire } from 'node:module'; const require = __waymarkCreateRequire(import.meta.url);";

/**
 * The bundles. `dir`: folder under dist/; `target`: the runtime (the command line: the
 * oldest Node it runs on; Electron 45: Node 22, Chromium 140); `with`: bundles built
 * together with this one (the writer thread beside whatever opens a store).
 */
export const ENTRIES = {
  cli: { entry: 'electron/cli/main.ts', dir: 'cli', out: 'waymark.mjs', format: 'esm', splitting: true, platform: 'node', target: 'node20', external: NODE_EXTERNAL, plugins: () => [zodEnglishOnlyPlugin()], with: ['cli-writer'], stamp: true },
  'cli-writer': { entry: WRITER, dir: 'cli', out: 'sqlite-writer.cjs', format: 'cjs', platform: 'node', target: 'node20', external: ['better-sqlite3'] },
  main: { entry: 'electron/shell/main.ts', dir: 'electron', out: 'main.cjs', format: 'cjs', platform: 'node', target: 'node22', external: ['electron', ...NODE_EXTERNAL], importMetaUrl: true, plugins: () => [zodEnglishOnlyPlugin()], with: ['writer'] },
  writer: { entry: WRITER, dir: 'electron', out: 'sqlite-writer.cjs', format: 'cjs', platform: 'node', target: 'node22', external: ['better-sqlite3'] },
  preload: { entry: 'electron/preload/preload.ts', dir: 'electron', out: 'preload.cjs', format: 'cjs', platform: 'browser', target: 'chrome140', external: ['electron'], plugins: () => [channelListPlugin()] },
};

/**
 * Builds the bundles (all, or `only` one and those it needs) and returns their paths by
 * name. Each goes to dist/<dir>, or every one to `outDir` when given (tests build into
 * temporary folders). Files are replaced atomically (build/write-outputs.mjs).
 */
export async function buildElectron({ outDir, only, sourcemap = true, logLevel = 'warning' } = {}) {
  const startedAt = Date.now();
  const names = only ? [only, ...(ENTRIES[only]?.with ?? [])] : Object.keys(ENTRIES);
  const built = {};
  await Promise.all(
    names.map(async (name) => {
      const spec = ENTRIES[name];
      if (!spec) throw new Error(`unknown bundle "${name}" (${Object.keys(ENTRIES).join(', ')})`);
      built[name] = await buildOne(spec, outDir ?? join(ROOT, 'dist', spec.dir), { sourcemap, logLevel });
    }),
  );
  // The stamp lists the sources of the CLI and of the bundles built with it (the writer).
  for (const name of names.filter((n) => ENTRIES[n].stamp)) {
    const together = [name, ...(ENTRIES[name].with ?? [])].map((n) => built[n]);
    writeCliStamp(dirname(built[name].outfile), { inputs: together.flatMap((b) => b.inputs), outputs: together.flatMap((b) => b.outputs) }, startedAt);
  }
  return Object.fromEntries(Object.entries(built).map(([name, b]) => [name, b.outfile]));
}

async function buildOne(spec, dir, { sourcemap, logLevel }) {
  const outfile = join(dir, spec.out);
  const result = await build(esbuildOptions(spec, dir, { sourcemap, logLevel }));
  writeOutputs(result.outputFiles, outfile);
  return { outfile, inputs: Object.keys(result.metafile.inputs), outputs: result.outputFiles.map((f) => f.path) };
}

function esbuildOptions(spec, dir, { sourcemap, logLevel }) {
  const banner = [spec.format === 'esm' ? ESM_REQUIRE : '', spec.importMetaUrl ? IMPORT_META_URL.banner : ''].filter(Boolean).join('\n');
  return {
    absWorkingDir: ROOT,
    entryPoints: spec.splitting ? { [spec.out.replace(/\.[cm]?js$/, '')]: join(ROOT, spec.entry) } : [join(ROOT, spec.entry)],
    ...(spec.splitting ? { outdir: dir, splitting: true, chunkNames: '[name]-[hash]', outExtension: { '.js': '.mjs' } } : { outfile: join(dir, spec.out) }),
    write: false,
    metafile: true,
    bundle: true,
    format: spec.format,
    platform: spec.platform,
    target: spec.target,
    external: spec.external,
    plugins: spec.plugins ? spec.plugins() : [],
    sourcemap,
    legalComments: 'none',
    logLevel,
    ...(banner ? { banner: { js: banner } } : {}),
    define: { 'process.env.NODE_ENV': '"production"', ...(spec.importMetaUrl ? IMPORT_META_URL.define : {}) },
  };
}

/** esbuild's metafile of one bundle, built in memory (tests read which modules go where). */
export async function bundleMetafile(name) {
  const spec = ENTRIES[name];
  if (!spec) throw new Error(`unknown bundle "${name}"`);
  return (await build(esbuildOptions(spec, join(ROOT, 'dist', spec.dir), { sourcemap: false, logLevel: 'silent' }))).metafile;
}

/** The command line alone (bin/waymark.mjs rebuilds it when its sources changed). */
export function buildCli(options = {}) {
  return buildElectron({ ...options, only: 'cli' });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const value = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  try {
    const out = value('--out');
    const outputs = await buildElectron({ ...(out ? { outDir: resolve(out) } : {}), only: value('--only') });
    for (const file of Object.values(outputs)) process.stderr.write(`built ${relative(process.cwd(), file) || file}\n`);
  } catch (err) {
    process.stderr.write(`waymark: bundling failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`);
    process.exit(1);
  }
}
