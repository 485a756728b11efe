/**
 * What `CheckpointStore.cancelIdle` does, the same in every store: cancelling a run that
 * no process executes — queued (no worker has taken it) or waiting (for a person). Each
 * store reads the run inside one transaction holding its row and appends what
 * `idleCancelFacts` answers, so a cancel never interleaves with a claim, a decision or a
 * resume of the same run.
 */
import type { RunFact } from '../../shared/events';
import type { RunStatus } from '../../shared/status';
import { runNotFound, runOwned } from './rules';

/** The run as `cancelIdle` sees it under its lock. */
export interface IdleRun {
  status: RunStatus;
  attempt: number;
  ownerPid: number | null;
}

/**
 * The run's end, `cancelled` (waiting phases end `interrupted` with it, so a resume asks
 * again); [] for a run that has already ended. Throws RUN_NOT_FOUND, or RUN_OWNED for a
 * running run (the process executing it cancels it).
 */
export function idleCancelFacts(runId: string, run: IdleRun | undefined): RunFact[] {
  if (!run) throw runNotFound(runId);
  if (run.status === 'running') throw runOwned(runId, run.ownerPid);
  if (run.status !== 'queued' && run.status !== 'waiting') return [];
  const message = run.status === 'queued' ? 'cancelled by the user before a worker took it' : 'cancelled by the user while it waited';
  return [{ type: 'run.finished', attempt: run.attempt, status: 'cancelled', error: { code: 'CANCELLED', message } }];
}
