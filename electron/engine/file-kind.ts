/** What a directory entry that is not a regular file is, in words for messages. */
import type { Stats } from 'node:fs';

/** "a FIFO (named pipe)", "a socket", ...; `folder` names a directory (default "a directory"). */
export function describeKind(stats: Stats, folder = 'a directory'): string {
  if (stats.isDirectory()) return folder;
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSymbolicLink()) return 'a symlink';
  return 'not a regular file';
}
