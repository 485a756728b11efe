/** Who executes a run, as the runs list, the run header and `waymark runs`/`show` name it. */
import type { RunOwner } from './records';

/**
 * `host:pid` of the process that holds the run's lease (a worker, a CLI, an app), or
 * null when no process does. Owners recorded before hosts were show as `pid N`.
 */
export function ownerLabel(owner: RunOwner | null): string | null {
  if (!owner) return null;
  return owner.host === null ? `pid ${owner.pid}` : `${owner.host}:${owner.pid}`;
}
