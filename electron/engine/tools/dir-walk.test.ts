import { constants, existsSync, mkdirSync, openSync, closeSync, readFileSync, readlinkSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '../../testing/temp-dir';
import { openHandleWorkspace } from './dir-walk';
import { openPathWorkspace } from './path-fallback';
import type { WorkspaceAccess } from './workspace-access';

const { O_RDONLY, O_WRONLY, O_CREAT, O_DIRECTORY, O_NOFOLLOW, O_NONBLOCK } = constants;

let base: TempDir;
let ws: string;
let outside: string;
let access: WorkspaceAccess | undefined;
beforeEach(() => {
  base = tempDir('waymark-walk-');
  ws = join(base.path, 'ws');
  outside = join(base.path, 'outside');
  mkdirSync(join(ws, 'd'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(ws, 'd/f.txt'), 'INSIDE');
  writeFileSync(join(outside, 'f.txt'), 'TOP-SECRET');
});
afterEach(async () => {
  await access?.close();
  access = undefined;
  base.remove();
});

/** What a concurrent process does between our check and our open: folder out, symlink in. */
function swapFolderForLink(): void {
  renameSync(join(ws, 'd'), join(ws, 'd-moved'));
  symlinkSync(outside, join(ws, 'd'));
}

describe.skipIf(process.platform !== 'linux')('the kernel behaviour the handle walk relies on', () => {
  it('/proc/self/fd/N/name is looked up in the directory open as N, even after that directory was moved and replaced', () => {
    const dir = openSync(join(ws, 'd'), O_RDONLY | O_DIRECTORY);
    try {
      swapFolderForLink();
      expect(readFileSync(`/proc/self/fd/${dir}/f.txt`, 'utf8')).toBe('INSIDE');
      symlinkSync('f.txt', join(ws, 'd-moved/link'));
      // O_NOFOLLOW applies to the last component: a symlink there is refused, not followed.
      expect(() => openSync(`/proc/self/fd/${dir}/link`, O_RDONLY | O_NOFOLLOW)).toThrow(expect.objectContaining({ code: 'ELOOP' }));
      expect(() => openSync(`/proc/self/fd/${dir}/link`, O_RDONLY | O_DIRECTORY | O_NOFOLLOW)).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
      expect(() => openSync(`/proc/self/fd/${dir}/link`, O_WRONLY | O_CREAT | O_NOFOLLOW)).toThrow(expect.objectContaining({ code: 'ELOOP' }));
      expect(readlinkSync(`/proc/self/fd/${dir}/link`)).toBe('f.txt');
    } finally {
      closeSync(dir);
    }
  });
});

describe.skipIf(process.platform !== 'linux')('a folder swapped for a symlink between the check and the open', () => {
  const options = () => ({ workdir: ws, signal: new AbortController().signal, shown: 'd/f.txt' });

  it('directory handles: the open still reaches the folder that was checked, never the symlink target', async () => {
    access = await openHandleWorkspace(options());
    const read = await access.entry(['d', 'f.txt'], { createParents: false });
    const write = await access.entry(['d', 'new.txt'], { createParents: true });
    swapFolderForLink();
    const handle = await access.open(read, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
    expect(await handle.readFile('utf8')).toBe('INSIDE');
    await (await access.open(write, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK, 0o644)).writeFile('new');
    expect(readFileSync(join(ws, 'd-moved/new.txt'), 'utf8')).toBe('new');
    expect(existsSync(join(outside, 'new.txt'))).toBe(false);
  });

  it('real-path fallback: the open is refused after the fact, by a fresh resolution of the path', async () => {
    access = await openPathWorkspace(options());
    const read = await access.entry(['d', 'f.txt'], { createParents: false });
    swapFolderForLink();
    await expect(access.open(read, O_RDONLY | O_NOFOLLOW | O_NONBLOCK)).rejects.toThrow('"d/f.txt" resolves outside the workspace (through a symlink)');
  });
});
