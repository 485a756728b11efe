/**
 * A run's two durations (SPEC §5 History): its *active* time, the sum of its attempts'
 * running time (what the work took), and its *wall* time, from its creation to its end
 * (what the calendar saw, waits for a person and resumes included). A crashed attempt
 * ends at its owner's last heartbeat, not when the crash was found.
 */
import type { RunRecord } from './records';

/** Active time in ms: the ended attempts, plus the attempt in progress up to `now`. */
export function runActiveMs(run: Pick<RunRecord, 'activeMs' | 'attemptStartedAt'>, now: number): number {
  return run.activeMs + (run.attemptStartedAt === null ? 0 : Math.max(0, now - run.attemptStartedAt));
}

/** Wall time in ms: creation to end, or to `now` while the run has not ended. */
export function runWallMs(run: Pick<RunRecord, 'createdAt' | 'finishedAt' | 'status'>, now: number): number {
  const end = run.finishedAt !== null && run.status !== 'running' && run.status !== 'queued' ? run.finishedAt : now;
  return Math.max(0, end - run.createdAt);
}

/** A try's (or a phase's) duration in ms; null when it never started. A try still running counts up to `now`. */
export function spanMs(startedAt: number | null, finishedAt: number | null, now: number): number | null {
  if (startedAt === null) return null;
  return Math.max(0, (finishedAt ?? now) - startedAt);
}
