/**
 * Where the writer thread's code (sqlite-writer-thread.ts) comes from.
 *
 * - The desktop app ships it bundled as sqlite-writer.cjs beside the main bundle
 *   (scripts/build-electron.mjs; there `import.meta.url` is the bundle's own URL).
 * - Run from source (the CLI through tsx, vitest, benchmarks) it is bundled here, in
 *   memory, once per process, with esbuild (tsx's own dependency). Starting a thread
 *   from that code takes tens of milliseconds; starting it from the .ts sources with
 *   tsx's loader took several hundred, paid on every SqliteStore.open.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** A file to start, or CommonJS code to start with `eval: true`. */
export type WriterScript = { kind: 'file'; path: string } | { kind: 'code'; code: string };

export const BUNDLED_WRITER = 'sqlite-writer.cjs';

let fromSource: Promise<string> | undefined;

export async function writerScript(): Promise<WriterScript> {
  const bundled = new URL(`./${BUNDLED_WRITER}`, import.meta.url);
  if (bundled.protocol === 'file:' && existsSync(bundled)) return { kind: 'file', path: fileURLToPath(bundled) };
  fromSource ??= bundleFromSource().catch((err: unknown) => {
    fromSource = undefined; // let the next open try again
    throw err;
  });
  return { kind: 'code', code: await fromSource };
}

async function bundleFromSource(): Promise<string> {
  const { build } = await import('esbuild');
  const entry = fileURLToPath(new URL('./sqlite-writer-thread.ts', import.meta.url));
  // Code started with `eval: true` resolves bare names from the working directory, which
  // may be anywhere: load better-sqlite3 by its absolute path instead.
  const addon = createRequire(import.meta.url).resolve('better-sqlite3');
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
    plugins: [{ name: 'absolute-better-sqlite3', setup: (b) => void b.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: addon, external: true })) }],
  });
  const code = result.outputFiles[0]?.text;
  if (!code) throw new Error(`bundling ${entry} produced no code`);
  return code;
}
