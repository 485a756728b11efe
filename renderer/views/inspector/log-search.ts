/**
 * Search in a log: every match of the query in the lines as a person sees them (plain
 * text, case-insensitive), and the styled runs of a line split where matches start and
 * end, so the matches are drawn marked. Pure.
 */
import type { AnsiSpan } from './ansi';

export interface LogMatch {
  /** Index of the line in the shown lines. */
  line: number;
  start: number;
  end: number;
}

/** Matches stop being counted past this many (the count then reads "10,000+"). */
export const MAX_MATCHES = 10_000;

export function findMatches(plains: readonly string[], query: string, max = MAX_MATCHES): LogMatch[] {
  if (query === '') return [];
  const pattern = new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
  const matches: LogMatch[] = [];
  for (let line = 0; line < plains.length && matches.length < max; line += 1) {
    for (const m of (plains[line] as string).matchAll(pattern)) {
      matches.push({ line, start: m.index, end: m.index + m[0].length });
      if (matches.length >= max) break;
    }
  }
  return matches;
}

export interface MarkedSpan extends AnsiSpan {
  mark?: 'match' | 'current';
}

/** `spans` cut at the ranges' edges; the parts inside a range marked (`current` for the selected match). */
export function markSpans(spans: readonly AnsiSpan[], ranges: readonly { start: number; end: number; current: boolean }[]): MarkedSpan[] {
  if (ranges.length === 0) return [...spans];
  const out: MarkedSpan[] = [];
  let offset = 0;
  for (const span of spans) {
    const spanEnd = offset + span.text.length;
    let at = offset;
    for (const r of ranges) {
      if (r.end <= at || r.start >= spanEnd) continue;
      if (r.start > at) out.push({ ...span, text: span.text.slice(at - offset, r.start - offset) });
      const end = Math.min(r.end, spanEnd);
      out.push({ ...span, text: span.text.slice(Math.max(r.start, at) - offset, end - offset), mark: r.current ? 'current' : 'match' });
      at = end;
    }
    if (at < spanEnd) out.push({ ...span, text: span.text.slice(at - offset) });
    offset = spanEnd;
  }
  return out;
}
