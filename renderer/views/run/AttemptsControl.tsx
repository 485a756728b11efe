/**
 * "attempt 3 of 3" beside the run id, opening the list of the run's attempts (SPEC §5
 * History): when each started, how it ended, how long it ran (a crash: up to its owner's
 * last heartbeat), the phase it restarted and its error. Escape or a click elsewhere
 * closes it.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { formatDuration } from '../../../shared/duration';
import { useWaymark } from '../../state/store';
import type { AttemptSummary } from '../../state/attempts';
import { formatStart } from '../../util/format';
import { useNow } from '../../util/use-now';
import { StatusBadge } from '../common/StatusBadge';
import '../../styles/history.css';

const NONE: readonly AttemptSummary[] = [];

export function AttemptsControl() {
  const attempts = useWaymark((s) => s.view?.attempts ?? NONE);
  const current = useWaymark((s) => s.view?.run.attempt ?? 0);
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLSpanElement>(null);
  const id = useId();
  const now = useNow(open && attempts.some((a) => a.status === 'running'));

  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open]);

  if (current < 2 || attempts.length === 0) return null;
  return (
    <span
      className="attempts-control"
      ref={ref}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.preventDefault();
          setOpen(false);
        }
      }}
    >
      <button type="button" className="attempts-button" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)} data-testid="attempts-button">
        attempt {current} of {attempts.length} ▾
      </button>
      {open && (
        <div className="attempts-popover" id={id} role="region" aria-label="Attempts of this run" data-testid="attempts-popover">
          <h3>Attempts</h3>
          <ol>
            {[...attempts].reverse().map((a) => (
              <li key={a.attempt} className={`attempt-row${a.attempt === current ? ' current' : ''}`} data-testid={`attempt-row-${a.attempt}`}>
                <span className="attempt-name">Attempt {a.attempt}</span>
                <span className="muted">
                  {formatStart(a.startedAt)} · {a.finishedAt === null ? `${formatDuration(Math.max(0, now - a.startedAt))} so far` : formatDuration(a.finishedAt - a.startedAt)}
                  {a.restartPhase ? ` · restarted ${a.restartPhase}` : ''}
                </span>
                <StatusBadge status={a.status} />
                {a.error && <span className="attempt-error">{a.error.message.split('\n')[0]}</span>}
              </li>
            ))}
          </ol>
        </div>
      )}
    </span>
  );
}
