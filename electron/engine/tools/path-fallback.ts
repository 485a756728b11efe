/**
 * The WorkspaceAccess where directory handles cannot be walked (macOS: its /dev/fd/N
 * is not a magic link to the open directory; Linux without /proc). Paths are resolved
 * by real path (workspace-path.ts), then opened with O_NOFOLLOW (and O_NOFOLLOW_ANY on
 * macOS), and the opened handle is verified: its device and inode must be those of the
 * entry a fresh resolution inside the workspace finds. Without O_NOFOLLOW_ANY this
 * narrows the race but cannot close it, because the check resolves paths too: on Linux
 * against the swap loop of file-tools-race.test.ts, 5-17 of 400 reads and 3-4 of 400
 * writes still got through, and O_CREAT / mkdir left empty files and folders outside. Listings are by path, checked
 * before and after the readdir, which narrows the race but cannot close it.
 */
import { lstat, mkdir, readdir, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { HandleSet } from './handle-set';
import { ToolError } from './tool-error';
import type { DirRef, EntryRef, WorkspaceAccess, WorkspaceOptions } from './workspace-access';
import { resolveExisting, resolveForWrite } from './workspace-path';

/**
 * macOS 11+ (sys/fcntl.h): open refuses a symlink in ANY component of the path. The
 * paths opened here are real paths, so a folder swapped for a symlink after the check
 * makes the open fail instead of leaving the workspace. Not available elsewhere.
 */
const O_NOFOLLOW_ANY = process.platform === 'darwin' ? 0x20000000 : 0;

export async function openPathWorkspace({ workdir, signal, shown }: WorkspaceOptions): Promise<WorkspaceAccess> {
  const handles = new HandleSet(signal);
  const segmentsOf = new WeakMap<EntryRef, readonly string[]>();
  const resolve = (segments: readonly string[]) => handles.step(() => resolveForWrite(workdir, segments.join('/')));
  const lstatOrNone = (path: string) =>
    handles.step(() => lstat(path)).catch((err: unknown) => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    });

  /** The opened file must be what the path resolves to inside the workspace, before and after an lstat of it. */
  async function verify(entry: EntryRef, handle: FileHandle): Promise<void> {
    const opened = await handles.step(() => handle.stat());
    const segments = segmentsOf.get(entry) ?? [];
    const first = await resolve(segments);
    const now = await lstatOrNone(first);
    const second = await resolve(segments);
    if (first !== second || !now || now.dev !== opened.dev || now.ino !== opened.ino) {
      throw new ToolError(`"${shown}" changed while it was being opened (a folder or symlink on its path was replaced); access refused, try again`);
    }
  }

  /** Lists by path, refusing the listing when the folder was replaced around the readdir. */
  const dirRef = (segments: readonly string[], path: string): DirRef => ({
    async entries() {
      const before = await handles.step(() => lstat(path));
      const entries = await handles.step(() => readdir(path, { withFileTypes: true }));
      const again = await handles.step(() => resolveExisting(workdir, segments.join('/'), { allowRoot: true }));
      const after = await lstatOrNone(again);
      if (again !== path || !after || after.dev !== before.dev || after.ino !== before.ino) {
        throw new ToolError(`"${shown}" changed while it was being listed (a folder or symlink on its path was replaced); access refused, try again`);
      }
      return entries;
    },
    async child(name) {
      const stats = await lstatOrNone(join(path, name));
      return stats?.isDirectory() ? dirRef([...segments, name], join(path, name)) : undefined;
    },
    close: async () => undefined,
  });

  return {
    async entry(segments, options) {
      const path = await resolve(segments);
      if (options.createParents) await handles.step(() => mkdir(dirname(path), { recursive: true }));
      const entry: EntryRef = { path, stats: await lstatOrNone(path), viaLink: false };
      segmentsOf.set(entry, segments);
      return entry;
    },
    async open(entry, flags, mode) {
      const handle = await handles.open(entry.path, flags | O_NOFOLLOW_ANY, mode);
      await verify(entry, handle);
      return handle;
    },
    async dir(segments) {
      const path = await handles.step(() => resolveExisting(workdir, segments.join('/'), { allowRoot: true }));
      if (!(await handles.step(() => stat(path))).isDirectory()) throw Object.assign(new Error(`not a directory: ${path}`), { code: 'ENOTDIR' });
      return dirRef(segments, path);
    },
    close: () => handles.closeAll(),
  };
}
