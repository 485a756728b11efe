/**
 * The open run as a list of phases, in dependency order: for runs too big to read as a
 * graph. Filtered by status (StatusFilter) and by the search box; the selected phase
 * opens in the inspector and is scrolled into view when search selects it.
 */
import { useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { filterPhases } from '../../graph/phase-filter';
import { useWaymark } from '../../state/store';
import { PhaseRow } from './PhaseRow';
import { StatusFilter } from './StatusFilter';

export function PhaseList() {
  const ids = useWaymark(
    useShallow((s) => (s.view ? filterPhases(s.view.order, s.view.phases, { statuses: s.statusFilter, query: s.phaseQuery }) : [])),
  );
  const total = useWaymark((s) => s.view?.order.length ?? 0);
  const selected = useWaymark((s) => s.selectedPhaseId);
  const clearFilter = useWaymark((s) => s.clearStatusFilter);
  const setQuery = useWaymark((s) => s.setPhaseQuery);
  const rows = useRef<HTMLOListElement>(null);

  useEffect(() => {
    if (!selected || !rows.current) return;
    rows.current.querySelector(`[data-testid="phase-row-${CSS.escape(selected)}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  return (
    <div className="phase-list" data-testid="phase-list">
      <StatusFilter />
      <div className="phase-list-head" aria-hidden="true">
        <span>Status</span>
        <span>Phase</span>
        <span>Kind</span>
        <span>Tries</span>
        <span>Time</span>
        <span>Tokens</span>
      </div>
      {ids.length === 0 ? (
        <p className="phase-list-empty" data-testid="phase-list-empty">
          {total === 0 ? 'This run has no phases.' : 'No phase matches the filter.'}{' '}
          {total > 0 && (
            <button
              type="button"
              className="button small"
              onClick={() => {
                clearFilter();
                setQuery('');
              }}
            >
              Show all {total}
            </button>
          )}
        </p>
      ) : (
        <ol className="phase-rows" ref={rows} aria-label={`${ids.length} of ${total} phases`}>
          {ids.map((id) => (
            <PhaseRow key={id} phaseId={id} selected={id === selected} />
          ))}
        </ol>
      )}
    </div>
  );
}
