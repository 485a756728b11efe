// esbuild plugins of the bundles in scripts/build-electron.mjs.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Replaces electron/preload/channel-list.ts with the literal list of channels, read
 * from the contract table (shared/api.ts) by bundling and evaluating it here.
 */
export function channelListPlugin() {
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

/**
 * Keeps only zod's English messages. The AI SDK uses zod's `z` namespace as a value,
 * which makes esbuild keep every locale zod ships (about 350 KB, parsed by every command
 * that loads a flow); Waymark and the SDK only ever use the default, English. The same
 * idea as webpack's usual "ignore moment's locales". `z.locales.<other>` is undefined in
 * the bundles; the sources (tests) keep them all.
 */
export function zodEnglishOnlyPlugin() {
  const require = createRequire(import.meta.url);
  return {
    name: 'waymark-zod-english-only',
    setup(b) {
      b.onResolve({ filter: /^\.\.\/locales\/index\.c?js$/ }, (args) => {
        if (!/[\\/]zod[\\/]v4[\\/](classic|core)[\\/]/.test(args.importer)) return undefined;
        return { path: join(dirname(args.importer), '..', 'locales', 'en-only.js'), namespace: 'waymark-zod-locales' };
      });
      b.onLoad({ filter: /.*/, namespace: 'waymark-zod-locales' }, (args) => {
        const en = join(dirname(args.path), 'en.js');
        require.resolve(en); // fails the build loudly if zod moved its English locale
        return { contents: `export { default as en } from ${JSON.stringify(en)};`, loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}
