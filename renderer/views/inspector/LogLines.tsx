/**
 * A log's lines in a scroll box that draws only the rows in view (@tanstack/react-virtual,
 * rows measured as drawn since long lines wrap), so a whole 16 MiB log scrolls as
 * smoothly as a short one. While scrolled to the end it stays there as lines arrive;
 * the selected search match is scrolled into view.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import type { LogLine } from '../../../shared/log/log-lines';
import type { LogMatch } from './log-search';
import type { GutterTime } from './log-view-model';
import { LogRow } from './LogRow';

const ROW_PX = 19;
const AT_END_SLACK_PX = 24;
const NO_RANGES: readonly { start: number; end: number; current: boolean }[] = [];

interface Props {
  lines: readonly LogLine[];
  /** Colour state at each line's start (ansi.ts lineStates). */
  states: readonly string[];
  /** Gutter time of each line, or null. */
  times: readonly (GutterTime | null)[];
  matches: readonly LogMatch[];
  current: number | null;
  testId: string;
  label: string;
}

export function LogLines({ lines, states, times, matches, current, testId, label }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const atEnd = useRef(true);
  const virtualizer = useVirtualizer({ count: lines.length, getScrollElement: () => ref.current, estimateSize: () => ROW_PX, overscan: 24 });

  const ranges = useMemo(() => {
    const byLine = new Map<number, { start: number; end: number; current: boolean }[]>();
    matches.forEach((m, i) => {
      const list = byLine.get(m.line) ?? [];
      list.push({ start: m.start, end: m.end, current: i === current });
      byLine.set(m.line, list);
    });
    return byLine;
  }, [matches, current]);

  useLayoutEffect(() => {
    if (atEnd.current && lines.length > 0) virtualizer.scrollToIndex(lines.length - 1, { align: 'end' });
  }, [lines.length, virtualizer]);

  const match = current === null ? undefined : matches[current];
  useEffect(() => {
    if (!match) return;
    // The box itself into view first (the inspector scrolls too), then the line within it.
    ref.current?.scrollIntoView({ block: 'nearest' });
    virtualizer.scrollToIndex(match.line, { align: 'center' });
  }, [match, virtualizer]);

  const onScroll = () => {
    const el = ref.current;
    if (el) atEnd.current = el.scrollHeight - el.scrollTop - el.clientHeight <= AT_END_SLACK_PX;
  };

  return (
    <div ref={ref} className="log-lines" onScroll={onScroll} data-testid={testId} role="log" aria-label={label} tabIndex={0}>
      <div className="log-lines-inner" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const line = lines[item.index] as LogLine;
          return (
            <div key={item.key} data-index={item.index} ref={virtualizer.measureElement} className="log-slot" style={{ transform: `translateY(${item.start}px)` }}>
              <LogRow line={line} prefix={states[item.index] ?? ''} time={times[item.index] ?? null} ranges={ranges.get(item.index) ?? NO_RANGES} />
            </div>
          );
        })}
      </div>
    </div>
  );
}
