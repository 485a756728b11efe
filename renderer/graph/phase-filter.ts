/**
 * The phase list's status filter: counts per status and the rows a filter keeps. Pure,
 * so the list, its counts and the tests agree. An empty filter keeps every status.
 */
import type { PhaseStatus } from '../../shared/status';
import { isPhaseMatch } from './phase-search';

/** Every phase status, in the order the filter offers them (what needs attention first). */
export const FILTER_STATUSES = ['running', 'failed', 'waiting', 'pending', 'succeeded', 'skipped', 'interrupted'] as const satisfies readonly PhaseStatus[];

export type StatusCounts = Readonly<Record<PhaseStatus, number>>;

export function countStatuses(phases: Iterable<{ status: PhaseStatus }>): StatusCounts {
  const counts = Object.fromEntries(FILTER_STATUSES.map((s) => [s, 0])) as Record<PhaseStatus, number>;
  for (const p of phases) counts[p.status] += 1;
  return counts;
}

export interface PhaseFilter {
  /** Statuses to keep; empty keeps all. */
  statuses: readonly PhaseStatus[];
  /** The search box's query; blank keeps all. */
  query: string;
}

/** The ids of `order` (the run's dependency order) whose phase passes `filter`. */
export function filterPhases(order: readonly string[], phases: Readonly<Record<string, { status: PhaseStatus }>>, filter: PhaseFilter): string[] {
  const keep = filter.statuses.length > 0 ? new Set(filter.statuses) : null;
  const searching = filter.query.trim() !== '';
  return order.filter((id) => {
    const phase = phases[id];
    if (!phase) return false;
    if (keep && !keep.has(phase.status)) return false;
    return !searching || isPhaseMatch(id, filter.query);
  });
}
