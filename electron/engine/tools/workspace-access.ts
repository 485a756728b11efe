/**
 * How file tools reach the workspace without a check-then-use race (SPEC §2: file
 * tools are confined to the workspace). Each tool call opens a WorkspaceAccess, asks
 * it for entries and directories, opens through it, and closes it: every handle the
 * access opened is closed then, on every path.
 *
 * Two implementations:
 * - Linux (dir-walk.ts): every path is walked from a handle on the workspace root, one
 *   component at a time, without following symlinks, so a folder swapped for a symlink
 *   while a tool runs is never followed out of the workspace.
 * - elsewhere, or where /proc is not mounted (path-fallback.ts): resolve the path, open
 *   it, then check that the opened file is what a fresh resolution inside the workspace
 *   finds (same device and inode). This refuses a swap instead of preventing it; a
 *   write may still create an empty file or folder outside before the check refuses it.
 */
import { existsSync, type Dirent, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { openHandleWorkspace } from './dir-walk';
import { openPathWorkspace } from './path-fallback';
import { fsToolError } from './tool-error';

/** An entry of the workspace, found by `WorkspaceAccess.entry`. */
export interface EntryRef {
  /** The path the access opens it by (a /proc/self/fd path on Linux); only for `WorkspaceAccess.open`. */
  readonly path: string;
  /** lstat of the entry (never a symlink: those are followed); undefined when it does not exist. */
  readonly stats: Stats | undefined;
  /** True when a symlink was followed to reach it (for messages about missing targets). */
  readonly viaLink: boolean;
}

/** A directory of the workspace, for listing. */
export interface DirRef {
  /** The directory's entries (unsorted). */
  entries(): Promise<Dirent[]>;
  /** The subdirectory `name`, not following symlinks; undefined when it is not (or no longer) one. */
  child(name: string): Promise<DirRef | undefined>;
  close(): Promise<void>;
}

export interface WorkspaceAccess {
  /**
   * The entry at `segments` (from pathSegments). Symlinks on the way are followed only
   * while they stay inside the workspace (else a ToolError); with `createParents`,
   * missing parent folders are created.
   */
  entry(segments: readonly string[], options: { createParents: boolean }): Promise<EntryRef>;
  /** Opens an entry this access returned; the handle is closed by `close()`. Flags should include O_NOFOLLOW and O_NONBLOCK. */
  open(entry: EntryRef, flags: number, mode?: number): Promise<FileHandle>;
  /** The directory at `segments` ([] is the workspace root); an ENOTDIR error when it is not one. */
  dir(segments: readonly string[]): Promise<DirRef>;
  /** Closes every handle this access opened. */
  close(): Promise<void>;
}

export interface WorkspaceOptions {
  workdir: string;
  /** Checked before every system call: an abandoned tool call stops at its next step. */
  signal: AbortSignal;
  /** The path as the model wrote it, for messages. */
  shown: string;
}

export type WorkspaceOpener = (options: WorkspaceOptions) => Promise<WorkspaceAccess>;

/** /proc/self/fd/N/name names `name` inside the directory open as fd N (Linux, /proc mounted). */
const HANDLE_WALK = process.platform === 'linux' && existsSync('/proc/self/fd');

export const openWorkspace: WorkspaceOpener = HANDLE_WALK ? openHandleWorkspace : openPathWorkspace;

/**
 * Runs `use` with an open access and closes it afterwards. File-system errors become
 * ToolErrors naming the model's path; an abort of the signal is rethrown as is.
 */
export async function withWorkspace<T>(options: WorkspaceOptions, use: (ws: WorkspaceAccess) => Promise<T>, opener: WorkspaceOpener = openWorkspace): Promise<T> {
  try {
    const ws = await opener(options);
    try {
      return await use(ws);
    } finally {
      await ws.close();
    }
  } catch (err) {
    if (options.signal.aborted) throw options.signal.reason;
    throw fsToolError(err, options.shown);
  }
}
