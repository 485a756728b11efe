/** The phase list's filter: one toggle per phase status with its count, and "All". */
import { useShallow } from 'zustand/react/shallow';
import { countStatuses, FILTER_STATUSES } from '../../graph/phase-filter';
import { useWaymark } from '../../state/store';

export function StatusFilter() {
  const counts = useWaymark(useShallow((s) => countStatuses(Object.values(s.view?.phases ?? {}))));
  const total = useWaymark((s) => s.view?.order.length ?? 0);
  const active = useWaymark((s) => s.statusFilter);
  const toggle = useWaymark((s) => s.toggleStatusFilter);
  const clear = useWaymark((s) => s.clearStatusFilter);
  return (
    <div className="status-filter" role="group" aria-label="Show phases by status">
      <button type="button" className="filter-chip" aria-pressed={active.length === 0} onClick={clear} data-testid="status-filter-all">
        All <span className="count">{total}</span>
      </button>
      {FILTER_STATUSES.map((status) => (
        <button
          key={status}
          type="button"
          className={`filter-chip status-${status}${counts[status] === 0 ? ' empty' : ''}`}
          aria-pressed={active.includes(status)}
          onClick={() => toggle(status)}
          title={`${active.includes(status) ? 'Stop showing' : 'Show'} ${status} phases`}
          data-testid={`status-filter-${status}`}
        >
          <span className="status-dot" aria-hidden="true" />
          {status}
          <span className="count">{counts[status]}</span>
        </button>
      ))}
    </div>
  );
}
