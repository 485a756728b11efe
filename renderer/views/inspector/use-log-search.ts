/** Search state of one log view: the query, its matches, and which one is selected. */
import { useCallback, useMemo, useState } from 'react';
import { findMatches, type LogMatch } from './log-search';

export interface LogSearch {
  query: string;
  setQuery(query: string): void;
  matches: readonly LogMatch[];
  /** Index of the selected match; null when there is none. */
  current: number | null;
  next(): void;
  previous(): void;
}

export function useLogSearch(plains: readonly string[], initialQuery = ''): LogSearch {
  const [query, setQueryState] = useState(initialQuery);
  const [index, setIndex] = useState(0);
  const matches = useMemo(() => findMatches(plains, query), [plains, query]);
  const current = matches.length === 0 ? null : Math.min(index, matches.length - 1);
  const setQuery = useCallback((q: string) => {
    setQueryState(q);
    setIndex(0);
  }, []);
  const step = useCallback((by: number) => setIndex((i) => (matches.length === 0 ? 0 : (Math.min(i, matches.length - 1) + by + matches.length) % matches.length)), [matches.length]);
  return { query, setQuery, matches, current, next: () => step(1), previous: () => step(-1) };
}
