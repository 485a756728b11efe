/**
 * Every decision on an approval phase (SPEC §5 History): who decided, when, on which try,
 * and their comment or reason, oldest first. From the run's snapshot and the
 * `approval.decided` events after it.
 */
import { useMemo } from 'react';
import type { ApprovalDecision } from '../../../shared/records';
import { useWaymark } from '../../state/store';
import { formatStart } from '../../util/format';

const NONE: readonly ApprovalDecision[] = [];

export function DecisionHistory({ phaseId }: { phaseId: string }) {
  const all = useWaymark((s) => s.view?.decisions ?? NONE);
  const decisions = useMemo(() => all.filter((d) => d.phaseId === phaseId), [all, phaseId]);
  if (decisions.length === 0) return null;
  return (
    <section className="inspector-section" data-testid="decision-history">
      <h3>
        Decisions <span className="count">{decisions.length}</span>
      </h3>
      <ol className="decisions">
        {decisions.map((d) => (
          <li key={`${d.attempt}-${d.at}`} className={`decision decision-${d.decision}`} data-testid="decision" data-decision={d.decision}>
            <div className="decision-meta">
              <span className="decision-verdict">{d.decision === 'approved' ? '✓ Approved' : '✕ Rejected'}</span>
              <span>
                by <strong>{d.by}</strong>
              </span>
              <time dateTime={new Date(d.at).toISOString()}>{formatStart(d.at)}</time>
              <span className="muted">try {d.attempt}</span>
            </div>
            {d.comment !== '' ? <blockquote className="decision-comment">{d.comment}</blockquote> : <p className="muted decision-comment-none">No comment.</p>}
          </li>
        ))}
      </ol>
    </section>
  );
}
