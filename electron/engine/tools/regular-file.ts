/**
 * File tools read and write regular files only. Opening anything else can block or
 * have side effects (a FIFO waits for its other end forever, a device may act on
 * open), so the tools check the entry before opening it, open with O_NONBLOCK, and
 * check the opened handle again (the entry may have been swapped in between).
 */
import type { Stats } from 'node:fs';
import { describeKind } from '../file-kind';
import { ToolError } from './tool-error';

export { describeKind };

/** Throws a ToolError the model can act on unless `stats` is a regular file. */
export function assertRegularFile(stats: Stats, shown: string, use: 'read' | 'write'): void {
  if (stats.isFile()) return;
  if (stats.isDirectory()) {
    throw new ToolError(use === 'read' ? `"${shown}" is a directory; use list_files` : `"${shown}" is a directory; write_file needs a file path`);
  }
  throw new ToolError(`"${shown}" is ${describeKind(stats)}; only regular files can be ${use === 'read' ? 'read' : 'written'}`);
}
