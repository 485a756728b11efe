/** Display formats shared by the views. */
import { formatDuration } from '../../shared/duration';
import type { Usage } from '../../shared/events';
import { formatTokenCount } from '../../shared/usage-format';

/** A total of tokens, as everywhere else (shared/usage-format.ts): "950", "12.4k", "3.2M". */
export function formatTokens(usage: Usage | number): string {
  return formatTokenCount(typeof usage === 'number' ? usage : usage.inputTokens + usage.outputTokens);
}

/** "14:03:22" today, "Mar 3, 14:03" on other days. */
export function formatStart(at: number, now = Date.now()): string {
  const d = new Date(at);
  const sameDay = new Date(now).toDateString() === d.toDateString();
  return sameDay
    ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
    : d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function formatSpan(start: number | null, end: number | null, now: number): string {
  if (start === null) return '—';
  return formatDuration(Math.max(0, (end ?? now) - start));
}

export function formatClock(at: number | null): string {
  return at === null ? '—' : new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
