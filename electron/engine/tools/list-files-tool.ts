/**
 * list_files: a folder of the workspace, optionally recursive, walked by directory
 * handles like the other file tools (workspace-access.ts). Symlinks are shown with "@"
 * and never followed by the recursion.
 */
import { describeKind } from './regular-file';
import { ToolError, fsToolError } from './tool-error';
import { withWorkspace, type DirRef, type WorkspaceAccess } from './workspace-access';
import type { FileToolContext } from './file-tools';
import { pathSegments } from './workspace-path';

export const LIST_LIMIT = 500;
const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

export async function listFilesTool(ctx: FileToolContext, input: { path?: string; recursive?: boolean }): Promise<string> {
  const shown = input.path?.trim() ? input.path : '.';
  const segments = pathSegments(shown, { allowRoot: true });
  return withWorkspace({ workdir: ctx.workdir, signal: ctx.signal, shown }, async (ws) => {
    const root = await openListed(ws, segments, shown);
    const lines: string[] = [];
    let more = 0;
    const walk = async (dir: DirRef, prefix: string): Promise<void> => {
      ctx.signal.throwIfAborted();
      let entries;
      try {
        entries = await dir.entries();
      } catch (err) {
        throw fsToolError(err, prefix ? `${shown}/${prefix}` : shown);
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        const name = `${prefix}${entry.name}`;
        if (lines.length >= LIST_LIMIT) {
          more += 1;
          continue;
        }
        lines.push(name + (entry.isDirectory() ? '/' : entry.isSymbolicLink() ? '@' : ''));
        if (!input.recursive || !entry.isDirectory() || SKIPPED_DIRS.has(entry.name)) continue;
        // A folder replaced since readdir (e.g. by a symlink) is not followed: child() is undefined.
        const child = await dir.child(entry.name);
        if (!child) continue;
        try {
          await walk(child, `${name}/`);
        } finally {
          await child.close();
        }
      }
    };
    await walk(root, '');
    if (lines.length === 0) return `${shown} is empty`;
    return [...lines, ...(more ? [`[${more} more entries not shown]`] : [])].join('\n');
  }, ctx.opener);
}

/** The folder to list; a clear message when `segments` names something else. */
async function openListed(ws: WorkspaceAccess, segments: readonly string[], shown: string): Promise<DirRef> {
  try {
    return await ws.dir(segments);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOTDIR') throw err;
    const { stats } = await ws.entry(segments, { createParents: false });
    if (stats?.isFile()) throw new ToolError(`"${shown}" is a file; use read_file`);
    if (stats && !stats.isDirectory()) throw new ToolError(`"${shown}" is ${describeKind(stats)}; list_files lists folders`);
    throw err;
  }
}
