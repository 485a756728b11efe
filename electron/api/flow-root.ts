/**
 * The folder serve mode may read flow files from (`--root`). Every path the browser
 * sends goes through `resolve`, which refuses anything outside the folder: `..`
 * segments, absolute paths elsewhere, and symbolic links that lead out of it.
 */
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { WaymarkError } from '../../shared/errors';

export interface FlowRoot {
  /** Absolute, symlink-free path of the folder. */
  readonly dir: string;
  /** The absolute path of `path` (relative to the root, or absolute inside it); throws when it is outside. */
  resolve(path: string): string;
  /** The path as the app shows it: relative to the root, with `/` separators. */
  display(absolute: string): string;
  /** Lets `resolve` accept this absolute file: one the user chose in the OS file dialog. */
  allow(absolute: string): void;
}

/**
 * `confine: false` is for the desktop app, where the user picks files anywhere with the
 * OS dialog: absolute paths are then taken as they are, relative ones resolve against `dir`.
 */
export function createFlowRoot(dir: string, options: { confine?: boolean } = {}): FlowRoot {
  const confine = options.confine ?? true;
  let real: string;
  try {
    real = realpathSync(resolve(dir));
  } catch (err) {
    throw new WaymarkError('USAGE', `the flow folder ${resolve(dir)} does not exist or cannot be read: ${(err as Error).message}`);
  }
  if (!statSync(real).isDirectory()) throw new WaymarkError('USAGE', `the flow folder ${real} is not a folder`);
  const outside = (path: string) =>
    new WaymarkError('INVALID_REQUEST', `"${path}" is outside the flow folder ${real}: serve mode only opens files under --root`, { where: { file: path } });

  const picked = new Set<string>();
  return {
    dir: real,
    resolve(path) {
      if (path.includes('\0')) throw outside(path);
      const lexical = isAbsolute(path) ? resolve(path) : resolve(real, path);
      if (!confine || picked.has(lexical)) return lexical;
      if (!isInside(real, lexical)) throw outside(path);
      const target = realOrSelf(lexical);
      if (!isInside(real, target)) throw outside(path);
      return lexical;
    },
    allow(absolute) {
      picked.add(resolve(absolute));
    },
    display(absolute) {
      if (!isInside(real, absolute)) return absolute;
      return relative(real, absolute).split(sep).join('/');
    },
  };
}

/** True when `path` is `dir` itself or below it. Both must be absolute and normalised. */
export function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** The real path of `path`, or of its nearest existing ancestor joined with the rest. */
function realOrSelf(path: string): string {
  let current = path;
  const rest: string[] = [];
  for (;;) {
    try {
      return resolve(realpathSync(current), ...rest.reverse());
    } catch {
      const parent = resolve(current, '..');
      if (parent === current) return path;
      rest.push(relative(parent, current));
      current = parent;
    }
  }
}
