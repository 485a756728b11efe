/**
 * The freshness rule of the built command line (cli-stamp.mjs), on a scratch checkout:
 * up to date right after a build; stale when a listed source is newer than the build's
 * start (even one saved while the build ran), removed, or nothing was built; and the
 * full build's pruning keeps exactly what the last build wrote.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '../electron/testing/temp-dir';

const { cliStaleness, pruneCli, writeCliStamp } = (await import(pathToFileURL(resolve('scripts/cli-stamp.mjs')).href)) as {
  cliStaleness(root: string): string | null;
  pruneCli(dir: string): void;
  writeCliStamp(dir: string, built: { inputs: string[]; outputs: string[] }, startedAt: number, root: string): void;
};

let root: TempDir;
let dist: string;
const BUILT_AT = Date.UTC(2026, 0, 1, 12);

/** Sets a file's mtime `ms` after the build started (negative: before). */
const touch = (file: string, ms: number) => utimesSync(join(root.path, file), new Date(BUILT_AT + ms), new Date(BUILT_AT + ms));

beforeEach(() => {
  root = tempDir('waymark-stamp-');
  dist = join(root.path, 'dist', 'cli');
  for (const dir of ['electron/cli', 'scripts/build', 'dist/cli']) mkdirSync(join(root.path, dir), { recursive: true });
  for (const file of ['electron/cli/main.ts', 'shared-thing.ts', 'package.json', 'scripts/build-electron.mjs', 'scripts/build/plugins.mjs']) {
    root.file(file, '// source\n');
    touch(file, -60_000);
  }
  root.file('dist/cli/waymark.mjs', '// bundle\n');
  root.file('dist/cli/chunk-NEW.mjs', '// chunk\n');
  const inputs = ['electron/cli/main.ts', 'shared-thing.ts', 'node_modules/zod/index.js', 'waymark-zod-locales:/x/en-only.js'];
  writeCliStamp(dist, { inputs, outputs: [join(dist, 'waymark.mjs'), join(dist, 'chunk-NEW.mjs')] }, BUILT_AT, root.path);
});
afterEach(() => root.remove());

describe('the built command line is stale when', () => {
  it('is up to date right after a build', () => {
    expect(cliStaleness(root.path)).toBeNull();
  });

  it('nothing is built, or the entry is missing', () => {
    rmSync(join(dist, 'waymark.mjs'));
    expect(cliStaleness(root.path)).toBe('it is not built yet');
    rmSync(dist, { recursive: true });
    expect(cliStaleness(root.path)).toBe('it is not built yet');
  });

  it('a source it was built from, or a build script, changed after the build started', () => {
    touch('shared-thing.ts', 5);
    expect(cliStaleness(root.path)).toBe('shared-thing.ts changed');
    touch('shared-thing.ts', -5);
    touch('scripts/build/plugins.mjs', 1);
    expect(cliStaleness(root.path)).toBe('scripts/build/plugins.mjs changed');
  });

  it('a source was removed; dependencies and plugin modules are not listed', () => {
    rmSync(join(root.path, 'electron/cli/main.ts'));
    expect(cliStaleness(root.path)).toBe('electron/cli/main.ts was removed');
  });
});

describe('pruning (npm run build)', () => {
  it('deletes what earlier builds left, keeps what the last one wrote and the stamp', () => {
    root.file('dist/cli/chunk-OLD.mjs', '// an earlier build\n');
    root.file('dist/cli/chunk-OLD.mjs.map', '{}');
    pruneCli(dist);
    expect(readdirSync(dist).sort()).toEqual(['build-stamp.json', 'chunk-NEW.mjs', 'waymark.mjs']);
    expect(existsSync(join(dist, 'chunk-OLD.mjs'))).toBe(false);
  });
});
