/**
 * The rows of the runs list, virtualized (@tanstack/react-virtual): only the rows in view,
 * and a few around them, are rendered, each measured as it is drawn. Nearing the end of
 * what is loaded asks for the next page of older runs. Scrolled down, the rows in view
 * stay where they are when new runs arrive above them; at the top, new runs show.
 * Arrow keys, Home and End move the focus between rows, scrolling as needed.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useCommands } from '../../app/commands-context';
import { useWaymark } from '../../state/store';
import { RunRow } from './RunRow';

/** A row's height before it is measured (flow, badge and one line of figures). */
const ROW_ESTIMATE = 58;
/** The next page is asked for once a rendered row is this close to the last loaded one. */
const LOAD_AHEAD = 40;
const OVERSCAN = 8;

export function RunsWindow() {
  const runs = useWaymark((s) => s.runs);
  const more = useWaymark((s) => s.runsNext !== null);
  const loadingMore = useWaymark((s) => s.runsLoadingMore);
  const moreError = useWaymark((s) => s.runsMoreError);
  const commands = useCommands();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [atTop, setAtTop] = useState(true);
  const virtualizer = useVirtualizer({
    count: runs.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_ESTIMATE,
    getItemKey: (index) => runs[index]?.id ?? index,
    overscan: OVERSCAN,
    // 'end' keeps the row in view in place when the first or last row changes.
    anchorTo: atTop ? 'start' : 'end',
    onChange: (instance) => setAtTop((instance.scrollOffset ?? 0) <= 0),
  });
  const items = virtualizer.getVirtualItems();
  const lastRendered = items[items.length - 1]?.index ?? -1;

  useEffect(() => {
    if (more && !loadingMore && !moreError && lastRendered >= runs.length - LOAD_AHEAD) void commands.loadMoreRuns();
  }, [more, loadingMore, moreError, lastRendered, runs.length, commands]);

  const focusAt = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (focusAt.current === null) return;
    const button = scrollRef.current?.querySelector<HTMLButtonElement>(`[data-index="${focusAt.current}"] .run-row-main`);
    if (!button) return;
    focusAt.current = null;
    button.focus({ preventScroll: true });
  });

  const onKeyDown = (e: KeyboardEvent) => {
    const from = rowIndexOf(document.activeElement);
    if (from === null || runs.length === 0) return;
    const to = targetRow(e.key, from, runs.length);
    if (to === null) return;
    e.preventDefault();
    focusAt.current = to;
    virtualizer.scrollToIndex(to, { align: 'auto' });
    // A row already rendered takes the focus now; another one once it is drawn.
    scrollRef.current?.querySelector<HTMLButtonElement>(`[data-index="${to}"] .run-row-main`)?.focus({ preventScroll: true });
  };

  return (
    <div className="runs-scroll" ref={scrollRef} data-testid="runs-list">
      <ul className="runs-list" style={{ height: virtualizer.getTotalSize() }} onKeyDown={onKeyDown}>
        {items.map((item) => {
          const run = runs[item.index];
          return (
            run && (
              <li
                key={item.key}
                className="runs-slot"
                data-index={item.index}
                ref={virtualizer.measureElement}
                style={{ transform: `translateY(${item.start}px)` }}
                aria-posinset={item.index + 1}
                aria-setsize={more ? -1 : runs.length}
              >
                <RunRow run={run} />
              </li>
            )
          );
        })}
      </ul>
      {loadingMore && <p className="muted runs-more" role="status">Loading older runs…</p>}
      {moreError && (
        <p className="runs-more" role="alert">
          Could not load older runs: {moreError}{' '}
          <button type="button" className="button small" onClick={() => void commands.loadMoreRuns()}>
            Retry
          </button>
        </p>
      )}
    </div>
  );
}

/** The index of the row holding `element` (a row's main button), else null. */
function rowIndexOf(element: Element | null): number | null {
  if (!element?.classList.contains('run-row-main')) return null;
  const slot = element.closest<HTMLElement>('[data-index]');
  return slot ? Number(slot.dataset.index) : null;
}

function targetRow(key: string, from: number, count: number): number | null {
  switch (key) {
    case 'ArrowDown':
      return Math.min(count - 1, from + 1);
    case 'ArrowUp':
      return Math.max(0, from - 1);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
