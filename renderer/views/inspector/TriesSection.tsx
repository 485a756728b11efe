/**
 * Every try of the inspected phase (SPEC §5 History), oldest first: its status, which run
 * attempt made it, how long it took and the first line of its error. Choosing one shows
 * it in the inspector (TryView); the latest is the phase as it stands. A vertical tab
 * list: arrow keys move between tries, Home and End to the first and last.
 */
import { useRef, type KeyboardEvent } from 'react';
import type { PhaseRecord, TryRecord } from '../../../shared/records';
import { useCommands } from '../../app/commands-context';
import { useWaymark } from '../../state/store';
import { shownTry } from '../../state/tries-slice';
import { formatSpan, formatStart } from '../../util/format';
import { useNow } from '../../util/use-now';
import '../../styles/history.css';

export function TriesSection({ phase }: { phase: PhaseRecord }) {
  const commands = useCommands();
  const runId = useWaymark((s) => s.openRunId);
  const tries = useWaymark((s) => (s.tries && s.tries.runId === runId && s.tries.phaseId === phase.phaseId ? s.tries : null));
  const shown = useWaymark((s) => shownTry(s, runId, phase.phaseId));
  const now = useNow(tries?.list.some((t) => t.status === 'running') ?? false);
  const listRef = useRef<HTMLDivElement>(null);
  if (!tries) return null;
  if (tries.error) {
    return (
      <p className="inline-error" role="alert">
        Could not load the tries of this phase: {tries.error}
      </p>
    );
  }
  const list = tries.list;
  if (list.length < 2) return null;
  const latest = (list[list.length - 1] as TryRecord).attempt;
  const selected = shown ?? latest;
  const choose = (attempt: number) => commands.selectTry(attempt === latest ? null : attempt);

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = list.findIndex((t) => t.attempt === selected);
    const to = { ArrowDown: i + 1, ArrowRight: i + 1, ArrowUp: i - 1, ArrowLeft: i - 1, Home: 0, End: list.length - 1 }[e.key];
    const target = to === undefined ? undefined : list[Math.min(list.length - 1, Math.max(0, to))];
    if (!target) return;
    e.preventDefault();
    choose(target.attempt);
    listRef.current?.querySelector<HTMLButtonElement>(`[data-attempt="${target.attempt}"]`)?.focus();
  };

  return (
    <section className="inspector-section tries" data-testid="inspector-tries">
      <h3 id="tries-heading">
        Tries <span className="count">{list.length}</span>
      </h3>
      <div className="tries-list" role="tablist" aria-orientation="vertical" aria-labelledby="tries-heading" ref={listRef} onKeyDown={onKey}>
        {list.map((t) => (
          <TryTab key={t.attempt} tried={t} latest={t.attempt === latest} selected={t.attempt === selected} now={now} onSelect={() => choose(t.attempt)} />
        ))}
      </div>
    </section>
  );
}

function TryTab({ tried, latest, selected, now, onSelect }: { tried: TryRecord; latest: boolean; selected: boolean; now: number; onSelect: () => void }) {
  const open = tried.status === 'running' || tried.status === 'waiting';
  const error = tried.error?.message.split('\n')[0];
  return (
    <button
      type="button"
      role="tab"
      aria-selected={selected}
      tabIndex={selected ? 0 : -1}
      className={`try-tab status-${tried.status}${selected ? ' selected' : ''}`}
      data-testid={`try-tab-${tried.attempt}`}
      data-attempt={tried.attempt}
      data-status={tried.status}
      onClick={onSelect}
    >
      <span className="try-tab-line">
        <span className="status-dot" aria-hidden="true" />
        <span className="try-name">Try {tried.attempt}</span>
        <span className="try-status">{tried.status}</span>
        {latest && <span className="try-latest">latest</span>}
        <span className="try-when muted" title={new Date(tried.startedAt).toLocaleString()}>
          attempt {tried.runAttempt} · {formatStart(tried.startedAt)}
        </span>
        <span className="try-span num">{formatSpan(tried.startedAt, open ? null : tried.finishedAt, now)}</span>
      </span>
      {error && <span className="try-error">{error}</span>}
    </button>
  );
}
