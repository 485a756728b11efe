/** The runs list (SPEC §5): newest first; interrupted runs found at launch are highlighted. */
import { useRef, type KeyboardEvent } from 'react';
import { useWaymark } from '../../state/store';
import { InterruptedNotice } from './InterruptedNotice';
import { RunRow } from './RunRow';

export function RunsList() {
  const runs = useWaymark((s) => s.runs);
  const loaded = useWaymark((s) => s.runsLoaded);
  const listRef = useRef<HTMLUListElement>(null);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const rows = [...(listRef.current?.querySelectorAll<HTMLButtonElement>('.run-row-main') ?? [])];
    const at = rows.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    e.preventDefault();
    rows[Math.min(rows.length - 1, Math.max(0, at + (e.key === 'ArrowDown' ? 1 : -1)))]?.focus();
  };

  return (
    <nav className="runs-panel" aria-label="Runs">
      <h2 className="panel-title">
        Runs <span className="count">{loaded ? runs.length : ''}</span>
      </h2>
      <InterruptedNotice />
      {loaded && runs.length === 0 && <p className="muted runs-empty">No runs yet. Start one with “New run”.</p>}
      <ul className="runs-list" ref={listRef} onKeyDown={onKeyDown} data-testid="runs-list">
        {runs.map((run) => (
          <RunRow key={run.id} run={run} />
        ))}
      </ul>
    </nav>
  );
}
