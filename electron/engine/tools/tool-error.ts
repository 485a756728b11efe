/**
 * A tool failure the model should see as the tool result (a refused path, a missing
 * file, a timeout). Anything else thrown by a tool is an engine bug or an abort.
 */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}

/** Turns a Node fs error into a short message naming the model's path, not ours. */
export function fsToolError(err: unknown, path: string): ToolError {
  if (err instanceof ToolError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const why: Record<string, string> = {
    ENOENT: 'does not exist',
    ENOTDIR: 'a parent of it is not a directory',
    EISDIR: 'is a directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ELOOP: 'is a symlink (refused)',
    ENOSPC: 'no space left on the device',
    EROFS: 'the file system is read-only',
    EEXIST: 'already exists',
    ENXIO: 'is a FIFO or socket (nothing at its other end); only regular files can be read or written',
    EAGAIN: 'is leased by another process, which holds it open; try again later',
    EWOULDBLOCK: 'is leased by another process, which holds it open; try again later',
    ENAMETOOLONG: 'a file name in it is too long',
  };
  return new ToolError(`"${path}": ${(code && why[code]) ?? (err as Error).message}`);
}
