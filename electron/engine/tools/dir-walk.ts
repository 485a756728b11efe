/**
 * The Linux WorkspaceAccess: every path is walked from a handle on the workspace root,
 * one component at a time, each opened relative to the handle of the folder before it.
 *
 * Node has no openat(2). On Linux, /proc/self/fd/N is a "magic link": following it
 * lands on the open directory itself (not on a path re-resolved by name), so opening
 * `/proc/self/fd/N/name` looks `name` up in that very directory, like
 * openat(N, name). O_NOFOLLOW applies to `name`, the last component, so a symlink there
 * is refused (ELOOP, or ENOTDIR with O_DIRECTORY) instead of followed. A folder swapped
 * for a symlink after we opened it cannot redirect us: we hold the folder, not its name.
 *
 * Symlinks are resolved here, by hand: readlink relative to the folder handle, the
 * target turned into segments below the root (workspace-path.ts refuses targets
 * outside it), and the walk restarted from the root handle, at most MAX_LINK_HOPS
 * times. Missing parent folders are created with mkdir relative to the folder handle
 * (EEXIST from a concurrent creator is fine: the open is retried).
 *
 * Limit: a process that can move a folder we hold out of the workspace (rename needs
 * write access outside it, which the sandbox of run_command does not give) could make
 * us write there.
 */
import { constants } from 'node:fs';
import { lstat, mkdir, readdir, readlink, type FileHandle } from 'node:fs/promises';
import { HandleSet } from './handle-set';
import type { DirRef, EntryRef, WorkspaceAccess, WorkspaceOptions } from './workspace-access';
import { linkTargetSegments } from './workspace-path';
import { ToolError } from './tool-error';

const { O_RDONLY, O_DIRECTORY, O_NOFOLLOW, O_NONBLOCK } = constants;
const DIR_FLAGS = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK;
export const MAX_LINK_HOPS = 40;
const MAX_CREATE_TRIES = 8;

/** The path naming `name` inside the directory open as `dir`. */
const at = (dir: FileHandle, name: string) => `/proc/self/fd/${dir.fd}/${name}`;
const codeOf = (err: unknown) => (err as NodeJS.ErrnoException).code;

interface Walked {
  dir: FileHandle;
  /** Where `dir` is, as symlink-free segments below the root. */
  canonical: string[];
}

export async function openHandleWorkspace({ workdir, signal, shown }: WorkspaceOptions): Promise<WorkspaceAccess> {
  const handles = new HandleSet(signal);
  const root = await handles.open(workdir, O_RDONLY | O_DIRECTORY | O_NONBLOCK);
  let rootReal: string | undefined;
  const rootPath = async () => (rootReal ??= await handles.step(() => readlink(`/proc/self/fd/${root.fd}`)));
  const release = (dir: FileHandle) => (dir === root ? Promise.resolve() : handles.release(dir));
  let hops = 0;

  /** Follows the symlink `name` in `walked.dir`; the new target from the root, or undefined when `name` is not a symlink. */
  async function follow(walked: Walked, name: string): Promise<string[] | undefined> {
    hops += 1;
    if (hops > MAX_LINK_HOPS) throw new ToolError(`"${shown}" goes through more than ${MAX_LINK_HOPS} symlinks; access refused`);
    let link: string;
    try {
      link = await handles.step(() => readlink(at(walked.dir, name)));
    } catch (err) {
      if (codeOf(err) === 'EINVAL' || codeOf(err) === 'ENOENT') return undefined;
      throw err;
    }
    return linkTargetSegments(await rootPath(), walked.canonical, link, shown);
  }

  /**
   * Opens the folder at `segments`, following symlinks that stay inside. With `create`,
   * missing folders are made, except those named by a symlink's target (the first
   * `fromLink` segments, and any a link on the way points to): a dangling symlink is
   * refused, not completed.
   */
  async function walk(segments: readonly string[], create: boolean, fromLink = 0): Promise<Walked> {
    const pending = [...segments];
    let walked: Walked = { dir: root, canonical: [] };
    let creates = 0;
    let linked = fromLink;
    try {
      while (pending.length > 0) {
        const name = pending[0] as string;
        try {
          const next = await handles.open(at(walked.dir, name), DIR_FLAGS);
          await release(walked.dir);
          walked = { dir: next, canonical: [...walked.canonical, name] };
          pending.shift();
          linked = Math.max(0, linked - 1);
        } catch (err) {
          if (codeOf(err) === 'ENOENT' && linked > 0) throw new ToolError(`"${shown}" goes through a symlink whose target does not exist`);
          if (codeOf(err) === 'ENOENT' && create && creates < MAX_CREATE_TRIES) {
            creates += 1;
            await mkdirAt(handles, walked.dir, name);
            continue;
          }
          const target = codeOf(err) === 'ENOTDIR' || codeOf(err) === 'ELOOP' ? await follow(walked, name) : undefined;
          if (!target) throw err;
          await release(walked.dir);
          walked = { dir: root, canonical: [] };
          pending.splice(0, 1, ...target);
          linked = target.length + Math.max(0, linked - 1);
        }
      }
      return walked;
    } catch (err) {
      await release(walked.dir);
      throw err;
    }
  }

  async function entry(segments: readonly string[], options: { createParents: boolean }): Promise<EntryRef> {
    let target = [...segments];
    let viaLink = false;
    for (;;) {
      const name = target.at(-1);
      if (name === undefined) throw new ToolError(`"${shown}" is the workspace folder itself, a directory`);
      const walked = await walk(target.slice(0, -1), options.createParents, viaLink ? target.length - 1 : 0);
      const path = at(walked.dir, name);
      const stats = await handles.step(() => lstat(path)).catch((err: unknown) => {
        if (codeOf(err) === 'ENOENT') return undefined;
        throw err;
      });
      if (!stats?.isSymbolicLink()) return { path, stats, viaLink };
      const next = await follow(walked, name);
      await release(walked.dir);
      if (next) {
        target = next;
        viaLink = true;
      }
    }
  }

  const dirRef = (dir: FileHandle): DirRef => ({
    entries: () => handles.step(() => readdir(`/proc/self/fd/${dir.fd}`, { withFileTypes: true })),
    async child(name) {
      try {
        return dirRef(await handles.open(at(dir, name), DIR_FLAGS));
      } catch (err) {
        if (codeOf(err) === 'ENOTDIR' || codeOf(err) === 'ELOOP' || codeOf(err) === 'ENOENT') return undefined;
        throw err;
      }
    },
    close: () => release(dir),
  });

  return {
    entry,
    open: (ref, flags, mode) => handles.open(ref.path, flags, mode),
    dir: async (segments) => dirRef((await walk(segments, false)).dir),
    close: () => handles.closeAll(),
  };
}

/** mkdir relative to a folder handle; a concurrent creator winning the race is fine. */
async function mkdirAt(handles: HandleSet, dir: FileHandle, name: string): Promise<void> {
  try {
    await handles.step(() => mkdir(at(dir, name), 0o777));
  } catch (err) {
    if (codeOf(err) !== 'EEXIST') throw err;
  }
}
