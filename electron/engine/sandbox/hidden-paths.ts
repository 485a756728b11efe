/**
 * Turns the settings' hidden paths into masks a sandbox can apply around the workspace.
 * Paths are compared as real paths (a symlinked home is hidden where it really is).
 */
import { realpathSync, statSync } from 'node:fs';
import { isInside } from '../tools/workspace-path';

export interface Mask {
  path: string;
  /** A folder is replaced by an empty one; a file by an empty file. */
  dir: boolean;
}

export interface MaskPlan {
  /** Masks to apply before the workspace is mounted: outside it, or around it (its ancestors). */
  around: Mask[];
  /** Masks to apply after the workspace is mounted: inside it (e.g. a database kept in it). */
  inside: Mask[];
}

export function planMasks(hiddenPaths: readonly string[], workspace: string): MaskPlan {
  const masks = existing(hiddenPaths).filter((m) => m.path !== '/' && !(m.dir && m.path === workspace));
  const inWorkspace = (m: Mask) => m.path !== workspace && isInside(workspace, m.path);
  return { around: outermost(masks.filter((m) => !inWorkspace(m))), inside: outermost(masks.filter(inWorkspace)) };
}

function existing(paths: readonly string[]): Mask[] {
  const byPath = new Map<string, Mask>();
  for (const p of paths) {
    try {
      const path = realpathSync(p);
      byPath.set(path, { path, dir: statSync(path).isDirectory() });
    } catch {
      // missing: nothing to hide
    }
  }
  return [...byPath.values()];
}

/** Drops masks already covered by a masked folder around them; parents come first. */
function outermost(masks: Mask[]): Mask[] {
  const sorted = [...masks].sort((a, b) => a.path.length - b.path.length);
  return sorted.filter((m) => !sorted.some((o) => o !== m && o.dir && isInside(o.path, m.path)));
}
