import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '../../testing/temp-dir';
import { listFilesTool, readFileTool, writeFileTool } from './file-tools';
import { openPathWorkspace } from './path-fallback';
import { ToolError } from './tool-error';
import type { WorkspaceOpener } from './workspace-access';
import { isInside } from './workspace-path';
import { runTool, type ToolContext, type ToolOutcome } from '.';

let base: TempDir;
let ws: string;
let ctx: ToolContext;
const ALL = ['read_file', 'write_file', 'list_files', 'run_command'] as const;

/** Every file below `dir` with its content (symlinks not followed). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out[p] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

beforeAll(() => {
  base = tempDir('waymark-escape-');
  ws = join(base.path, 'ws');
  const outside = join(base.path, 'outside');
  const evil = join(base.path, 'ws-evil');
  for (const d of [ws, outside, evil, join(ws, 'sub/deeper'), join(ws, 'inner')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(outside, 'secret.txt'), 'TOP-SECRET');
  writeFileSync(join(evil, 'secret.txt'), 'TOP-SECRET');
  writeFileSync(join(ws, 'inner/ok.txt'), 'inside');
  const link = (target: string, name: string) => symlinkSync(target, join(ws, name));
  link(outside, 'link-out');
  link(join(outside, 'secret.txt'), 'link-file-out');
  link('../../outside', 'sub/link-up');
  link('link-out', 'link-chain');
  link('/etc', 'link-abs');
  link(evil, 'link-sibling');
  link('../ws-evil', 'link-sibling-rel');
  link(join(outside, 'not-yet.txt'), 'dangling-out');
  link(join(outside, 'no-dir'), 'dangling-out-dir');
  link('..', 'link-parent');
  link(base.path, 'link-base');
  link('inner', 'link-in');
  link('inner/ok.txt', 'link-in-file');
  link('sub/link-up', 'link-to-link-up');
  link('loop-b', 'loop-a');
  link('loop-a', 'loop-b');
  link(join(ws, 'inner'), 'link-abs-in');
  link('inner/not-yet.txt', 'dangling-in');
  link('no-such-dir', 'dangling-in-dir');
  ctx = { workdir: ws, env: {}, signal: new AbortController().signal, sandbox: { hiddenPaths: [] } };
});
afterAll(() => base.remove());

const ESCAPES = [
  '../x',
  '../../etc/passwd',
  '..',
  'a/../../x',
  'a/../b',
  './../x',
  'a/./../../x',
  '../ws-evil/secret.txt',
  '/etc/passwd',
  '/tmp/x',
  '//etc/passwd',
  ' /etc/passwd',
  '\\\\server\\share\\x',
  'C:\\Windows\\win.ini',
  'C:/x',
  '..\\x',
  'a\\..\\..\\x',
  '~/x',
  '~',
  'x\0y',
  'link-out/secret.txt',
  'link-out',
  'link-out/new/deep/file.txt',
  'link-file-out',
  'sub/link-up/secret.txt',
  'sub/link-up',
  'link-chain/secret.txt',
  'link-abs/passwd',
  'link-abs',
  'link-sibling/secret.txt',
  'link-sibling',
  'link-sibling-rel/secret.txt',
  'dangling-out',
  'dangling-out-dir/x.txt',
  'link-parent/outside/secret.txt',
  'link-parent/ws-evil/secret.txt',
  'link-base/outside/secret.txt',
  'link-to-link-up/secret.txt',
  'link-to-link-up/fresh.txt',
];

const FILE_TOOLS = { read_file: readFileTool, write_file: writeFileTool, list_files: listFilesTool } as const;

/**
 * Both confinement strategies run the same cases: directory handles (Linux, through
 * runTool as the agent calls it) and the real-path fallback other platforms use.
 */
describe.each([
  ['directory handles', undefined],
  ['real paths verified after open (non-Linux fallback)', openPathWorkspace],
] as const)('file tools stay inside the workspace: %s', (_name, opener: WorkspaceOpener | undefined) => {
  const call = async (name: keyof typeof FILE_TOOLS, input: Record<string, unknown>): Promise<ToolOutcome> => {
    if (!opener) return runTool(ctx, ALL, name, input);
    try {
      return { ok: true, text: await FILE_TOOLS[name]({ ...ctx, opener }, input as never) };
    } catch (err) {
      if (err instanceof ToolError) return { ok: false, text: err.message };
      throw err;
    }
  };

  it(`refuses all ${ESCAPES.length} escape attempts for read, write and list, with zero escapes`, async () => {
    expect(ESCAPES.length).toBeGreaterThanOrEqual(30);
    const before = { ...snapshot(join(base.path, 'outside')), ...snapshot(join(base.path, 'ws-evil')) };
    const leaks: string[] = [];
    for (const path of ESCAPES) {
      const read = await call('read_file', { path });
      const write = await call('write_file', { path, content: 'PWNED' });
      const list = await call('list_files', { path, recursive: true });
      for (const [op, r] of [['read', read], ['write', write], ['list', list]] as const) {
        if (r.ok) leaks.push(`${op} ${JSON.stringify(path)} succeeded: ${r.text}`);
        if (r.text.includes('TOP-SECRET')) leaks.push(`${op} ${JSON.stringify(path)} returned outside content`);
      }
    }
    expect(leaks).toEqual([]);
    const after = { ...snapshot(join(base.path, 'outside')), ...snapshot(join(base.path, 'ws-evil')) };
    expect(after).toEqual(before);
    expect(() => statSync(join(base.path, 'x'))).toThrow();
  });

  it('explains the refusal to the model', async () => {
    expect((await call('read_file', { path: '../x' })).text).toContain('".." is not allowed');
    expect((await call('read_file', { path: '/etc/passwd' })).text).toContain('absolute path');
    expect((await call('read_file', { path: 'link-out/secret.txt' })).text).toContain('outside the workspace');
    expect((await call('write_file', { path: 'dangling-out', content: 'x' })).text).toContain('symlink');
  });

  it('allows ordinary paths, including symlinks that stay inside', async () => {
    writeFileSync(join(ws, 'inner/ok.txt'), 'inside');
    expect(await call('write_file', { path: 'new/dir/a.txt', content: 'hello' })).toEqual({ ok: true, text: 'wrote 5 bytes to new/dir/a.txt' });
    expect(await call('read_file', { path: './new//dir/a.txt' })).toEqual({ ok: true, text: 'hello' });
    expect(await call('read_file', { path: 'link-in/ok.txt' })).toEqual({ ok: true, text: 'inside' });
    expect(await call('write_file', { path: 'link-in-file', content: 'changed' })).toMatchObject({ ok: true });
    expect(readFileSync(join(ws, 'inner/ok.txt'), 'utf8')).toBe('changed');
    expect(await call('write_file', { path: '%2e%2e/odd name.txt', content: '' })).toMatchObject({ ok: true });
    expect(statSync(join(ws, '%2e%2e/odd name.txt')).isFile()).toBe(true);
    const listing = await call('list_files', {});
    expect(listing.ok).toBe(true);
    expect(listing.text.split('\n')).toEqual(expect.arrayContaining(['inner/', 'link-out@', 'new/', 'sub/']));
  });

  it('reports missing files, directories and binary files clearly', async () => {
    writeFileSync(join(ws, 'bin.dat'), Buffer.from([1, 0, 2]));
    expect(await call('read_file', { path: 'nope.txt' })).toEqual({ ok: false, text: '"nope.txt" does not exist' });
    expect((await call('read_file', { path: 'inner' })).text).toContain('is a directory');
    expect((await call('read_file', { path: 'bin.dat' })).text).toContain('binary file');
    expect((await call('list_files', { path: 'inner/ok.txt' })).text).toContain('is a file');
  });

  it('follows absolute and relative symlinks inside; refuses loops and dangling targets without creating them', async () => {
    writeFileSync(join(ws, 'inner/ok.txt'), 'inside');
    expect(await call('read_file', { path: 'link-abs-in/ok.txt' })).toEqual({ ok: true, text: 'inside' });
    expect(await call('write_file', { path: 'link-in/made/here.txt', content: 'x' })).toMatchObject({ ok: true });
    expect(readFileSync(join(ws, 'inner/made/here.txt'), 'utf8')).toBe('x');
    expect((await call('list_files', { path: 'link-in' })).text.split('\n')).toContain('ok.txt');
    for (const op of ['read_file', 'write_file', 'list_files'] as const) {
      const loop = await call(op, { path: 'loop-a/x.txt', content: 'x' });
      expect(loop).toMatchObject({ ok: false, text: expect.stringContaining('symlink') });
    }
    expect(await call('write_file', { path: 'dangling-in', content: 'x' })).toMatchObject({ ok: false, text: expect.stringContaining('symlink') });
    expect(await call('write_file', { path: 'dangling-in-dir/x.txt', content: 'x' })).toMatchObject({ ok: false, text: expect.stringContaining('symlink') });
    expect(await call('read_file', { path: 'dangling-in' })).toMatchObject({ ok: false, text: expect.stringContaining('symlink') });
    expect(() => statSync(join(ws, 'inner/not-yet.txt'))).toThrow();
    expect(() => statSync(join(ws, 'no-such-dir'))).toThrow();
  });
});

describe('workspace paths', () => {
  it('compares by path segment, not by string prefix', () => {
    expect(isInside('/ws', '/ws')).toBe(true);
    expect(isInside('/ws', '/ws/a/b')).toBe(true);
    expect(isInside('/ws', '/ws-evil/a')).toBe(false);
    expect(isInside('/ws', '/ws/../etc')).toBe(false);
    expect(isInside('/ws', '/ws/..foo')).toBe(true);
  });
});
