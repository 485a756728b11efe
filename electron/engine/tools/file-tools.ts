/**
 * read_file and write_file: confined to the workspace without a check-then-use race
 * (workspace-access.ts), regular files only (regular-file.ts). Every step checks the
 * phase's signal first, so a call the phase abandoned (race-abort.ts) stops there.
 */
import { constants } from 'node:fs';
import { assertRegularFile } from './regular-file';
import { ToolError } from './tool-error';
import { withWorkspace, type WorkspaceOpener } from './workspace-access';
import { pathSegments } from './workspace-path';

export { listFilesTool, LIST_LIMIT } from './list-files-tool';

export const READ_LIMIT_BYTES = 100_000;
export const WRITE_LIMIT_BYTES = 10 * 1024 * 1024;

const { O_RDONLY, O_WRONLY, O_CREAT, O_NOFOLLOW, O_NONBLOCK } = constants;

/** What a file tool needs from the agent's tool context. */
export interface FileToolContext {
  workdir: string;
  signal: AbortSignal;
  /** How paths are confined; the platform's default unless a test picks one. */
  opener?: WorkspaceOpener;
}

export async function readFileTool(ctx: FileToolContext, input: { path: string }): Promise<string> {
  const segments = pathSegments(input.path);
  return withWorkspace({ workdir: ctx.workdir, signal: ctx.signal, shown: input.path }, async (ws) => {
    const entry = await ws.entry(segments, { createParents: false });
    if (!entry.stats) throw new ToolError(entry.viaLink ? `"${input.path}" is a symlink whose target does not exist` : `"${input.path}" does not exist`);
    assertRegularFile(entry.stats, input.path, 'read');
    // O_NONBLOCK: if a FIFO was swapped in after the check, the open does not wait for a writer.
    const handle = await ws.open(entry, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
    const info = await handle.stat();
    assertRegularFile(info, input.path, 'read');
    const size = info.size;
    const buffer = Buffer.alloc(Math.min(size, READ_LIMIT_BYTES));
    let filled = 0;
    while (filled < buffer.length) {
      ctx.signal.throwIfAborted();
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    const bytes = buffer.subarray(0, filled);
    if (bytes.subarray(0, 8192).includes(0)) return `"${input.path}" is a binary file (${size} bytes); not shown`;
    const text = bytes.toString('utf8');
    return size > READ_LIMIT_BYTES ? `${text}\n[truncated: the file has ${size} bytes; only the first ${READ_LIMIT_BYTES} are shown]` : text;
  }, ctx.opener);
}

export async function writeFileTool(ctx: FileToolContext, input: { path: string; content: string }): Promise<string> {
  const bytes = Buffer.byteLength(input.content, 'utf8');
  if (bytes > WRITE_LIMIT_BYTES) throw new ToolError(`content is ${bytes} bytes; the limit is ${WRITE_LIMIT_BYTES}`);
  const segments = pathSegments(input.path);
  await withWorkspace({ workdir: ctx.workdir, signal: ctx.signal, shown: input.path }, async (ws) => {
    const entry = await ws.entry(segments, { createParents: true });
    if (!entry.stats && entry.viaLink) throw new ToolError(`"${input.path}" is a symlink whose target does not exist; write to the target's path instead`);
    if (entry.stats) assertRegularFile(entry.stats, input.path, 'write');
    // No O_TRUNC yet: nothing is changed before the handle is proven a regular file.
    const handle = await ws.open(entry, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK, 0o644);
    assertRegularFile(await handle.stat(), input.path, 'write');
    ctx.signal.throwIfAborted();
    await handle.truncate(0);
    ctx.signal.throwIfAborted();
    await handle.writeFile(input.content, 'utf8');
  }, ctx.opener);
  return `wrote ${bytes} bytes to ${input.path}`;
}
