/** read_file, write_file and list_files: confined to the workspace (workspace-path.ts). */
import { constants } from 'node:fs';
import { mkdir, open, readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { resolveExisting, resolveForWrite } from './workspace-path';
import { ToolError, fsToolError } from './tool-error';

export const READ_LIMIT_BYTES = 100_000;
export const WRITE_LIMIT_BYTES = 10 * 1024 * 1024;
export const LIST_LIMIT = 500;
const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

export async function readFileTool(workdir: string, input: { path: string }): Promise<string> {
  const real = await resolveExisting(workdir, input.path);
  try {
    const info = await stat(real);
    if (info.isDirectory()) throw new ToolError(`"${input.path}" is a directory; use list_files`);
    if (!info.isFile()) throw new ToolError(`"${input.path}" is not a regular file`);
    const handle = await open(real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    try {
      const buffer = Buffer.alloc(Math.min(info.size, READ_LIMIT_BYTES));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      const bytes = buffer.subarray(0, bytesRead);
      if (bytes.subarray(0, 8192).includes(0)) return `"${input.path}" is a binary file (${info.size} bytes); not shown`;
      const text = bytes.toString('utf8');
      return info.size > READ_LIMIT_BYTES ? `${text}\n[truncated: the file has ${info.size} bytes; only the first ${READ_LIMIT_BYTES} are shown]` : text;
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw fsToolError(err, input.path);
  }
}

export async function writeFileTool(workdir: string, input: { path: string; content: string }): Promise<string> {
  const bytes = Buffer.byteLength(input.content, 'utf8');
  if (bytes > WRITE_LIMIT_BYTES) throw new ToolError(`content is ${bytes} bytes; the limit is ${WRITE_LIMIT_BYTES}`);
  const target = await resolveForWrite(workdir, input.path);
  try {
    await mkdir(dirname(target), { recursive: true });
    // O_NOFOLLOW: a symlink swapped in after the check is refused, not followed.
    const handle = await open(target, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0), 0o644);
    try {
      if (!(await handle.stat()).isFile()) throw new ToolError(`"${input.path}" is not a regular file`);
      await handle.writeFile(input.content, 'utf8');
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw fsToolError(err, input.path);
  }
  return `wrote ${bytes} bytes to ${input.path}`;
}

export async function listFilesTool(workdir: string, input: { path?: string; recursive?: boolean }): Promise<string> {
  const shown = input.path?.trim() ? input.path : '.';
  const real = await resolveExisting(workdir, shown, { allowRoot: true });
  if (!(await stat(real)).isDirectory()) throw new ToolError(`"${shown}" is a file; use read_file`);
  const lines: string[] = [];
  let more = 0;
  const walk = async (dir: string, prefix: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      throw fsToolError(err, prefix ? `${shown}/${prefix}` : shown);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const name = `${prefix}${entry.name}`;
      const suffix = entry.isDirectory() ? '/' : entry.isSymbolicLink() ? '@' : '';
      if (lines.length >= LIST_LIMIT) {
        more += 1;
        continue;
      }
      lines.push(name + suffix);
      if (input.recursive && entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) await walk(join(dir, entry.name), `${name}/`);
    }
  };
  await walk(real, '');
  if (lines.length === 0) return `${shown} is empty`;
  return [...lines, ...(more ? [`[${more} more entries not shown]`] : [])].join('\n');
}
