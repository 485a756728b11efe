/**
 * Confines file tools to the run's workspace. A path must be relative, without `..`,
 * and must still be inside the workspace after every symlink is resolved. Comparison
 * is by path segments, so /ws-evil is not inside /ws.
 *
 * On Linux the tools walk paths by directory handles (dir-walk.ts) and resolve each
 * symlink with `linkTargetSegments`. Elsewhere (path-fallback.ts) they resolve real
 * paths with `resolveExisting` / `resolveForWrite`: for reads the real path of the
 * target, for writes the real path of its deepest existing ancestor (what does not
 * exist yet is created as real directories below it).
 */
import { lstat, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, sep, win32 } from 'node:path';
import { ToolError } from './tool-error';

/** Checks the syntax of a model-supplied path; returns its segments (`.` and empty removed). */
export function pathSegments(path: unknown, options: { allowRoot?: boolean } = {}): string[] {
  if (typeof path !== 'string') throw new ToolError('path must be a string');
  if (path.includes('\0')) throw new ToolError('path contains a NUL byte');
  const trimmed = path.trim();
  if (isAbsolute(trimmed) || win32.isAbsolute(trimmed) || /^[A-Za-z]:/.test(trimmed)) {
    throw new ToolError(`"${path}" is an absolute path; use a path relative to the workspace root`);
  }
  if (trimmed.startsWith('~')) throw new ToolError(`"${path}": "~" is not expanded; use a path relative to the workspace root`);
  const segments = trimmed.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw new ToolError(`"${path}": ".." is not allowed; paths must stay inside the workspace`);
  if (segments.length === 0 && !options.allowRoot) throw new ToolError('path is empty; name a file relative to the workspace root');
  return segments;
}

/** True when `candidate` is `root` or below it (both real, absolute paths). */
export function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  if (rel === '') return true;
  return !isAbsolute(rel) && rel.split(sep)[0] !== '..';
}

/**
 * Where a symlink points, as segments below the workspace root. `parent` is where the
 * link was found (symlink-free segments below the root); `rootReal` is the root's real
 * path, against which absolute targets are taken. `..` is applied lexically, which is
 * exact because `parent` has no symlinks in it. Throws when the target leaves the root.
 */
export function linkTargetSegments(rootReal: string, parent: readonly string[], target: string, shown: string): string[] {
  let base: string[];
  let rest: string;
  if (isAbsolute(target)) {
    if (!isInside(rootReal, target)) throw escaped(shown);
    base = [];
    rest = relative(rootReal, target);
  } else {
    base = [...parent];
    rest = target;
  }
  for (const part of rest.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..') base.push(part);
    else if (base.pop() === undefined) throw escaped(shown);
  }
  return base;
}

/** The real path of an existing file or directory inside the workspace. */
export async function resolveExisting(workdir: string, path: unknown, options: { allowRoot?: boolean } = {}): Promise<string> {
  const segments = pathSegments(path, options);
  const root = await realpath(workdir);
  let real: string;
  try {
    real = await realpath(join(root, ...segments));
  } catch (err) {
    if (await isLink(join(root, ...segments))) throw new ToolError(`"${String(path)}" is a symlink whose target does not exist`);
    throw notFound(err, path);
  }
  if (!isInside(root, real)) throw escaped(path);
  return real;
}

/** The real path to write `path` to, after checking its deepest existing ancestor. */
export async function resolveForWrite(workdir: string, path: unknown): Promise<string> {
  const segments = pathSegments(path);
  const root = await realpath(workdir);
  let existing = segments.length;
  while (existing > 0 && !(await exists(join(root, ...segments.slice(0, existing))))) existing -= 1;
  const ancestor = join(root, ...segments.slice(0, existing));
  let real: string;
  try {
    real = await realpath(ancestor);
  } catch {
    throw new ToolError(`"${String(path)}" goes through a symlink whose target does not exist`);
  }
  if (!isInside(root, real)) throw escaped(path);
  return join(real, ...segments.slice(existing));
}

/** Exists as a directory entry (a dangling symlink exists). */
async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

async function isLink(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isSymbolicLink();
  } catch {
    return false;
  }
}

function escaped(path: unknown): ToolError {
  return new ToolError(`"${String(path)}" resolves outside the workspace (through a symlink); access refused`);
}

function notFound(err: unknown, path: unknown): ToolError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new ToolError(`"${String(path)}" does not exist`);
  if (code === 'ELOOP') return new ToolError(`"${String(path)}" goes through too many symlinks (a symlink loop); access refused`);
  return new ToolError(`cannot access "${String(path)}": ${code ?? (err as Error).message}`);
}
