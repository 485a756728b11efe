/**
 * The open run's attempts as the run header lists them (SPEC §5 History): from the
 * snapshot, then kept current by `run.started` (a new attempt, running) and
 * `run.finished` (its end: when a crash ended it, its owner's last heartbeat). Pure.
 */
import type { PersistedEvent } from '../../shared/events';
import type { AttemptRecord } from '../../shared/records';

/** What the header shows of an attempt. */
export type AttemptSummary = Pick<AttemptRecord, 'attempt' | 'startedAt' | 'finishedAt' | 'status' | 'error' | 'restartPhase'>;

export function attemptSummaries(attempts: readonly AttemptRecord[]): AttemptSummary[] {
  return attempts.map(({ attempt, startedAt, finishedAt, status, error, restartPhase }) => ({ attempt, startedAt, finishedAt, status, error, restartPhase }));
}

/** `attempts` after the run's events (seq-gating is the caller's); the same array when none applies. */
export function applyAttemptEvents(attempts: readonly AttemptSummary[], events: readonly PersistedEvent[]): readonly AttemptSummary[] {
  let next = attempts;
  for (const e of events) {
    if (e.type === 'run.started') {
      const fresh: AttemptSummary = { attempt: e.attempt, startedAt: e.at, finishedAt: null, status: 'running', error: null, restartPhase: null };
      const known = next.find((a) => a.attempt === e.attempt);
      next = [...next.filter((a) => a.attempt !== e.attempt), known ? { ...known, status: 'running' as const, finishedAt: null } : fresh].sort((a, b) => a.attempt - b.attempt);
    } else if (e.type === 'run.finished') {
      const ended = e.endedAt ?? e.at;
      if (next.some((a) => a.attempt === e.attempt)) next = next.map((a) => (a.attempt === e.attempt ? { ...a, status: e.status, error: e.error ?? null, finishedAt: ended } : a));
    }
  }
  return next;
}
