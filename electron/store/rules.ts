/**
 * Decisions both store implementations make the same way: who owns a run, what a
 * reaped run records, and the errors a user sees. Keeping them here keeps the two
 * implementations from drifting apart.
 */
import { WaymarkError } from '../../shared/errors';
import type { PhaseFinishedEvent, RunFact } from '../../shared/events';
import type { RunStatus } from '../../shared/status';

export interface LeaseView {
  ownerPid: number | null;
  heartbeatAt: number | null;
}

/** The owner of a `running` run is gone when its process is dead or its heartbeat went stale. */
export function ownerGone(lease: LeaseView, isAlive: (pid: number) => boolean, now: number, staleMs: number): boolean {
  if (lease.ownerPid === null) return true;
  if (!isAlive(lease.ownerPid)) return true;
  return lease.heartbeatAt === null || now - lease.heartbeatAt > staleMs;
}

/** Facts recording that a run's owner died: running phases and the run become interrupted. */
export function reapFacts(attempt: number, runningPhases: { phaseId: string; attempt: number; startedAt: number | null }[], ownerPid: number | null, now: number): RunFact[] {
  const phases: PhaseFinishedEvent[] = runningPhases.map((p) => ({
    type: 'phase.finished',
    phaseId: p.phaseId,
    attempt: p.attempt,
    status: 'interrupted',
    durationMs: p.startedAt === null ? 0 : Math.max(0, now - p.startedAt),
  }));
  const who = ownerPid === null ? 'its process' : `its process (pid ${ownerPid})`;
  return [
    ...phases,
    {
      type: 'run.finished',
      attempt,
      status: 'interrupted',
      error: { code: 'INTERRUPTED', message: `${who} stopped without finishing the run (crash, kill or power loss)` },
    },
  ];
}

export function runNotFound(runId: string): WaymarkError {
  return new WaymarkError('RUN_NOT_FOUND', `no run with id "${runId}": see \`waymark runs\` for the list`);
}

export function runOwned(runId: string, pid: number | null): WaymarkError {
  return new WaymarkError('RUN_OWNED', `run ${runId} is running, owned by pid ${pid ?? '?'}: wait for it to finish, or stop that process first`);
}

export function notResumable(runId: string, status: RunStatus): WaymarkError {
  const why = status === 'succeeded' ? 'it already succeeded; there is nothing to resume' : `its status is ${status}`;
  return new WaymarkError('RUN_NOT_RESUMABLE', `run ${runId} cannot be resumed: ${why}`);
}

export function leaseLost(runId: string): WaymarkError {
  return new WaymarkError('LEASE_LOST', `this process no longer owns run ${runId} (another process marked it interrupted or took it over)`);
}

export function corruptResult(runId: string, phaseId: string, reason: string): WaymarkError {
  return new WaymarkError(
    'CHECKPOINT_CORRUPT',
    `run ${runId}: the saved result of phase "${phaseId}" is unreadable (${reason}). Re-run that phase and everything after it with: waymark resume ${runId} --restart-phase ${phaseId}`,
    { where: { phaseId } },
  );
}
