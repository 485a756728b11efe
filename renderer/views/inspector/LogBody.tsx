/**
 * A log with its tools: search (matches marked, Enter / Shift+Enter or the arrows move
 * between them) and which streams to show. stdout and stderr are interleaved in the
 * order they were written, stderr lines marked in the margin: one log, as a terminal
 * shows it, with the filter to read one stream alone.
 */
import { useDeferredValue, useMemo, useState, type KeyboardEvent } from 'react';
import type { LoadedStream } from '../../../shared/log/phase-log';
import { plainText } from './ansi';
import { filterLines, gutterTimes, logLinesOf, statesOf, type StreamFilter } from './log-view-model';
import { MAX_MATCHES } from './log-search';
import { LogLines } from './LogLines';
import { useLogSearch } from './use-log-search';

interface Props {
  stdout: LoadedStream;
  stderr: LoadedStream;
  /** Prefix of the test ids and the accessible names. */
  testId: string;
  initialQuery?: string;
  /** Shown where there are no lines. */
  empty: string;
}

const FILTERS: { value: StreamFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'stdout', label: 'stdout' },
  { value: 'stderr', label: 'stderr' },
];

export function LogBody({ stdout, stderr, testId, initialQuery = '', empty }: Props) {
  // A fast command can stream faster than the lines are worked out: keep typing responsive.
  const out = useDeferredValue(stdout);
  const err = useDeferredValue(stderr);
  const [filter, setFilter] = useState<StreamFilter>('all');
  const all = useMemo(() => logLinesOf(out, err), [out, err]);
  const lines = useMemo(() => filterLines(all, filter), [all, filter]);
  const states = useMemo(() => statesOf(lines), [lines]);
  const times = useMemo(() => gutterTimes(lines), [lines]);
  const plains = useMemo(() => lines.map((l) => plainText(l.text)), [lines]);
  const search = useLogSearch(plains, initialQuery);
  const hasStderr = all.some((l) => l.stream === 'stderr');

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      if (e.shiftKey) search.previous();
      else search.next();
    } else if (e.key === 'Escape' && search.query) {
      e.preventDefault();
      e.stopPropagation();
      search.setQuery('');
    }
  };

  const count = search.matches.length;
  const counter = search.query === '' ? '' : count === 0 ? 'No matches' : `${(search.current ?? 0) + 1} of ${count >= MAX_MATCHES ? `${MAX_MATCHES.toLocaleString()}+` : count.toLocaleString()}`;
  return (
    <div className="log-body">
      <div className="log-toolbar">
        <div className="log-search">
          <input
            type="search"
            className="input small"
            placeholder="Search the log"
            aria-label="Search the log"
            value={search.query}
            onChange={(e) => search.setQuery(e.target.value)}
            onKeyDown={onKey}
            data-testid={`${testId}-search`}
          />
          <span className="log-count muted num" aria-live="polite" data-testid={`${testId}-count`}>
            {counter}
          </span>
          <button type="button" className="button ghost small" onClick={search.previous} disabled={count === 0} aria-label="Previous match (Shift+Enter)">
            ↑
          </button>
          <button type="button" className="button ghost small" onClick={search.next} disabled={count === 0} aria-label="Next match (Enter)">
            ↓
          </button>
        </div>
        {hasStderr && (
          <div className="log-filter" role="group" aria-label="Streams shown">
            {FILTERS.map((f) => (
              <button key={f.value} type="button" className={`log-filter-option${filter === f.value ? ' active' : ''}`} aria-pressed={filter === f.value} onClick={() => setFilter(f.value)}>
                {f.label}
              </button>
            ))}
          </div>
        )}
      </div>
      {lines.length === 0 ? (
        <p className="log-empty muted" data-testid={`${testId}-empty`}>
          {empty}
        </p>
      ) : (
        <LogLines lines={lines} states={states} times={times} matches={search.matches} current={search.current} testId={`${testId}-lines`} label="Log" />
      )}
    </div>
  );
}
