import { lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPathSwapper, type PathSwapper } from '../../testing/path-swapper';
import { tempDir, type TempDir } from '../../testing/temp-dir';
import { runTool, type ToolContext } from '.';

const ROUNDS = 400;
const TOOLS = ['read_file', 'write_file', 'list_files'] as const;

let base: TempDir;
let swapper: PathSwapper | undefined;
afterEach(async () => {
  await swapper?.stop();
  swapper = undefined;
  base.remove();
});

beforeEach(() => {
  base = tempDir('waymark-race-');
  const ws = join(base.path, 'ws');
  const outside = join(base.path, 'outside');
  mkdirSync(join(ws, 'd'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(ws, 'd/f.txt'), 'INSIDE');
  writeFileSync(join(outside, 'f.txt'), 'TOP-SECRET');
  writeFileSync(join(outside, 'only-outside.txt'), 'TOP-SECRET');
  symlinkSync(outside, join(ws, 'swap'));
});

/** Files below `dir` whose names start with `prefix` (no symlinks followed). */
const written = (dir: string, prefix: string) => readdirSync(dir).filter((n) => n.startsWith(prefix));

describe.skipIf(process.platform !== 'linux')('file tools under a concurrent symlink swap', () => {
  it(`lets none of ${ROUNDS} reads, writes and lists through a swapped folder escape the workspace`, async () => {
    const ws = join(base.path, 'ws');
    const outside = join(base.path, 'outside');
    const ctx: ToolContext = { workdir: ws, env: {}, signal: new AbortController().signal, sandbox: { hiddenPaths: [] } };
    swapper = await startPathSwapper(join(ws, 'd'), join(ws, 'swap'));
    const openFds = () => readdirSync('/proc/self/fd').length;
    const fdsBefore = openFds();
    const started = Date.now();
    const escapes = { read: 0, write: 0, list: 0 };
    let readsInside = 0;
    for (let i = 0; i < ROUNDS; i += 1) {
      const [read, , list] = await Promise.all([
        runTool(ctx, TOOLS, 'read_file', { path: 'd/f.txt' }),
        runTool(ctx, TOOLS, 'write_file', { path: `d/w${i}.txt`, content: 'PWNED' }),
        runTool(ctx, TOOLS, 'list_files', { path: 'd' }),
      ]);
      if (read.text.includes('TOP-SECRET')) escapes.read += 1;
      if (read.ok && read.text === 'INSIDE') readsInside += 1;
      if (list.text.includes('only-outside')) escapes.list += 1;
    }
    // Every handle of every call, refused ones included, was closed.
    expect(openFds()).toBe(fdsBefore);
    const swaps = await swapper.stop();
    swapper = undefined;
    const elapsed = Date.now() - started;
    escapes.write = written(outside, 'w').length;
    const realDir = lstatSync(join(ws, 'd')).isDirectory() ? join(ws, 'd') : join(ws, 'swap');
    const writesInside = written(realDir, 'w').length;
    console.info(`race: ${swaps} swaps in ${elapsed} ms; escapes ${JSON.stringify(escapes)}; ${readsInside} reads and ${writesInside} writes succeeded inside`);
    expect(escapes).toEqual({ read: 0, write: 0, list: 0 });
    expect(readFileSync(join(outside, 'f.txt'), 'utf8')).toBe('TOP-SECRET');
    // The race was real and the tools still worked while it ran.
    expect(swaps).toBeGreaterThan(ROUNDS);
    expect(readsInside).toBeGreaterThan(0);
    expect(writesInside).toBeGreaterThan(0);
  });
});
