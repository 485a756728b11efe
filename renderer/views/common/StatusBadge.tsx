/** A status as a coloured dot and a word; colour is never the only signal. */
import type { PhaseStatus, RunStatus } from '../../../shared/status';

export function StatusBadge({ status }: { status: RunStatus | PhaseStatus | 'frontier' }) {
  return (
    <span className={`status-badge status-${status}`} data-status={status}>
      <span className="status-dot" aria-hidden="true" />
      {status}
    </span>
  );
}
