#!/usr/bin/env node
// Bundles the Electron main process and the preload with esbuild:
//   dist/electron/main.cjs     electron/shell/main.ts (better-sqlite3 and electron stay external)
//   dist/electron/preload.cjs  electron/preload/preload.ts (one CommonJS file: sandboxed
//                              preloads cannot load ES modules or other files)
// Usage: node scripts/build-electron.mjs [--out DIR] [--only main|preload]
import { build } from 'esbuild';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Chromium / Node of the Electron major in package.json (Electron 45: Chromium 140, Node 22). */
const TARGETS = { main: 'node22', preload: 'chrome140' };

export const ENTRIES = {
  main: { entry: 'electron/shell/main.ts', out: 'main.cjs', platform: 'node', external: ['electron', 'better-sqlite3'] },
  preload: { entry: 'electron/preload/preload.ts', out: 'preload.cjs', platform: 'browser', external: ['electron'], plugins: () => [channelListPlugin()] },
};

/**
 * Replaces electron/preload/channel-list.ts with the literal list of channels, read
 * from the contract table (shared/api.ts) by bundling and evaluating it here.
 */
function channelListPlugin() {
  return {
    name: 'waymark-channel-list',
    setup(b) {
      b.onResolve({ filter: /\/channel-list$/ }, (args) => ({ path: resolve(args.resolveDir, `${args.path}.ts`), namespace: 'waymark-channels' }));
      b.onLoad({ filter: /.*/, namespace: 'waymark-channels' }, async () => {
        const channels = await contractChannels();
        return { contents: `export const CHANNELS = ${JSON.stringify(channels)};`, loader: 'js' };
      });
    },
  };
}

/** CHANNELS of shared/api.ts, evaluated from a throwaway CommonJS bundle. */
export async function contractChannels() {
  const result = await build({ absWorkingDir: ROOT, stdin: { contents: "export { CHANNELS } from './shared/api';", resolveDir: ROOT, loader: 'ts' }, bundle: true, write: false, format: 'cjs', platform: 'node', logLevel: 'silent' });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', result.outputFiles[0].text)(module, module.exports, () => {
    throw new Error('shared/api.ts must not require anything at run time');
  });
  const channels = module.exports.CHANNELS;
  if (!Array.isArray(channels) || channels.length === 0 || !channels.every((c) => typeof c === 'string')) throw new Error('shared/api.ts exports no CHANNELS');
  return channels;
}

/** Builds the bundles into `outDir` (default dist/electron); returns their paths. */
export async function buildElectron({ outDir = join(ROOT, 'dist', 'electron'), only, sourcemap = true, logLevel = 'warning' } = {}) {
  const names = only ? [only] : Object.keys(ENTRIES);
  const outputs = {};
  await Promise.all(
    names.map(async (name) => {
      const spec = ENTRIES[name];
      if (!spec) throw new Error(`unknown bundle "${name}" (main or preload)`);
      const outfile = join(outDir, spec.out);
      await build({
        absWorkingDir: ROOT,
        entryPoints: [join(ROOT, spec.entry)],
        outfile,
        bundle: true,
        format: 'cjs',
        platform: spec.platform,
        target: TARGETS[name],
        external: spec.external,
        plugins: spec.plugins ? spec.plugins() : [],
        sourcemap,
        legalComments: 'none',
        logLevel,
        define: { 'process.env.NODE_ENV': '"production"' },
      });
      outputs[name] = outfile;
    }),
  );
  return outputs;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const value = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  try {
    const out = value('--out');
    const outputs = await buildElectron({ ...(out ? { outDir: resolve(out) } : {}), only: value('--only') });
    for (const file of Object.values(outputs)) process.stderr.write(`built ${file}\n`);
  } catch (err) {
    process.stderr.write(`waymark: bundling the Electron main process failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`);
    process.exit(1);
  }
}
