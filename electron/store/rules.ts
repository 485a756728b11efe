/**
 * Decisions both store implementations make the same way: who owns a run, what a
 * reaped run records, and the errors a user sees. Keeping them here keeps the two
 * implementations from drifting apart.
 */
import { WaymarkError } from '../../shared/errors';
import type { PhaseFinishedEvent, PlannedPhase, RunFact, RunStartedEvent } from '../../shared/events';
import type { RunStatus } from '../../shared/status';
import type { OwnerProbe } from './types';

export interface LeaseView {
  ownerPid: number | null;
  ownerHost: string | null;
  heartbeatAt: number | null;
}

/** The owner of a `running` run is gone when its process is dead or its heartbeat went stale. */
export function ownerGone(lease: LeaseView, isAlive: OwnerProbe, now: number, staleMs: number): boolean {
  if (lease.ownerPid === null) return true;
  if (!isAlive(lease.ownerPid, lease.ownerHost)) return true;
  return lease.heartbeatAt === null || now - lease.heartbeatAt > staleMs;
}

/** What a reaper knows of a run's dead owner. */
export interface DeadOwner {
  ownerPid: number | null;
  /** Its last heartbeat. */
  heartbeatAt: number | null;
  /** Its last commit to the run (the run's `updatedAt`): a sign of life too. */
  lastCommitAt: number;
  /** When the attempt it ran started (the run's `attemptStartedAt`). */
  attemptStartedAt: number | null;
}

/**
 * Facts recording that a run's owner died: its running phases (and waiting ones: an
 * approval parked in the dead process) and the run become interrupted.
 * `note` adds to the error why nothing more happens (a run not re-queued again).
 *
 * Honest timings: they ended when the owner was last known alive (its last heartbeat or
 * commit), not when the death was found (`now`, maybe days later); never before they
 * started and never after `now`.
 */
export function reapFacts(attempt: number, runningPhases: { phaseId: string; attempt: number; startedAt: number | null }[], owner: DeadOwner, now: number, note?: string): RunFact[] {
  const lastSeen = Math.max(owner.heartbeatAt ?? 0, owner.lastCommitAt);
  const endOf = (startedAt: number | null) => Math.min(now, Math.max(lastSeen, startedAt ?? 0));
  const phases: PhaseFinishedEvent[] = runningPhases.map((p) => {
    const endedAt = endOf(p.startedAt);
    return { type: 'phase.finished', phaseId: p.phaseId, attempt: p.attempt, status: 'interrupted', durationMs: p.startedAt === null ? 0 : Math.max(0, endedAt - p.startedAt), endedAt };
  });
  const who = owner.ownerPid === null ? 'its process' : `its process (pid ${owner.ownerPid})`;
  return [
    ...phases,
    {
      type: 'run.finished',
      attempt,
      status: 'interrupted',
      error: { code: 'INTERRUPTED', message: `${who} stopped without finishing the run (crash, kill or power loss)${note ? `; ${note}` : ''}` },
      endedAt: endOf(owner.attemptStartedAt),
    },
  ];
}

/** How many times a worker's run is re-queued after its worker died (SPEC §7). */
export const MAX_REQUEUES = 3;

/** The queue columns of a run as the reaper finds it (owner not yet cleared). */
export interface QueueView {
  ownerId: string | null;
  /** The owner id of the worker that last claimed the run from the queue. */
  claimedBy: string | null;
  requeues: number;
}

export type RequeueVerdict = { requeue: true; requeues: number } | { requeue: false; note?: string };

/**
 * What reaping a run does after interrupting it. A run the reaped owner had claimed
 * from the queue (submitted with `--queue`) is queued again as a resume, at most
 * MAX_REQUEUES times; then it stays `interrupted`, the reason in its error. A run its
 * owner started itself (`waymark run`, a direct resume, the app) just stays interrupted.
 */
export function requeueVerdict(q: QueueView): RequeueVerdict {
  if (q.claimedBy === null || q.claimedBy !== q.ownerId) return { requeue: false };
  if (q.requeues >= MAX_REQUEUES) return { requeue: false, note: `not re-queued: its worker already died ${q.requeues} times (resume it with waymark resume)` };
  return { requeue: true, requeues: q.requeues + 1 };
}

export function runNotFound(runId: string): WaymarkError {
  return new WaymarkError('RUN_NOT_FOUND', `no run with id "${runId}": see \`waymark runs\` for the list`);
}

export function runOwned(runId: string, pid: number | null): WaymarkError {
  return new WaymarkError('RUN_OWNED', `run ${runId} is running, owned by pid ${pid ?? '?'}: wait for it to finish, or stop that process first`);
}

export function notResumable(runId: string, status: RunStatus): WaymarkError {
  const why = status === 'succeeded' ? 'it already succeeded; there is nothing to resume' : status === 'queued' ? 'it is queued, waiting for a worker (waymark worker)' : `its status is ${status}`;
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

/**
 * A batch that contradicts the saved run (a caller bug, not a user error). The whole
 * batch is refused: nothing of it is applied, in either implementation.
 */
export function invalidFact(runId: string, reason: string): WaymarkError {
  return new WaymarkError('INTERNAL', `run ${runId}: refused facts that contradict the saved run: ${reason}`);
}

/** Why a fact is refused; one wording for both implementations. */
export const refusal = {
  unknownPhase: (phaseId: string) => `phase "${phaseId}" is not in the run's plan`,
  startedTwice: (phaseId: string, attempt: number) => `phase "${phaseId}" started try ${attempt} twice`,
  notStarted: (phaseId: string, attempt: number) => `phase "${phaseId}" finished try ${attempt}, which was never started`,
  indexTaken: (phaseId: string, index: number) => `transcript entry ${index} of phase "${phaseId}" already exists`,
  decidedTwice: (phaseId: string, attempt: number) => `try ${attempt} of phase "${phaseId}" was already decided`,
  notCount: (field: string, value: unknown) => `${field} must be a whole number >= 0, got ${String(value)}`,
};

/**
 * Checks the numbers of a fact that land in INTEGER columns. SQLite's STRICT tables
 * would refuse them with a raw constraint error; the memory store would silently keep
 * NaN. Both call this first so a bad number fails the same way.
 */
export function shapeProblem(fact: RunFact): string | undefined {
  const counts: [string, unknown][] = [];
  switch (fact.type) {
    case 'run.started':
    case 'run.finished':
      counts.push(['attempt', fact.attempt]);
      break;
    case 'phase.started':
      counts.push(['attempt', fact.attempt], ['runAttempt', fact.runAttempt]);
      break;
    case 'phase.waiting':
    case 'approval.decided':
      counts.push(['attempt', fact.attempt]);
      break;
    case 'phase.finished':
      counts.push(['attempt', fact.attempt]);
      if (fact.exitCode !== undefined && !Number.isSafeInteger(fact.exitCode)) return `exitCode must be a whole number, got ${String(fact.exitCode)}`;
      break;
    case 'transcript.appended':
      counts.push(['index', fact.index]);
      if (fact.usage) {
        const u = fact.usage;
        counts.push(['usage.inputTokens', u.inputTokens], ['usage.outputTokens', u.outputTokens]);
        for (const field of ['cachedInputTokens', 'cacheWriteTokens', 'reasoningTokens'] as const) if (u[field] !== undefined) counts.push([`usage.${field}`, u[field]]);
        if (u.costUsd != null && !(Number.isFinite(u.costUsd) && u.costUsd >= 0)) return `usage.costUsd must be a number of dollars >= 0 or null, got ${String(u.costUsd)}`;
      }
      break;
  }
  const bad = counts.find(([, value]) => !Number.isSafeInteger(value) || (value as number) < 0);
  return bad && refusal.notCount(bad[0], bad[1]);
}

export function runExists(runId: string): WaymarkError {
  return new WaymarkError('INTERNAL', `run ${runId} already exists`);
}

/**
 * What a store adds to a new attempt's `run.started` (shared/events.ts), from what it
 * read before re-planning: `outputs`, the saved outputs of the reused phases, and
 * `triesBefore`, the tries of planned phases that were not in the previous plan
 * (`unplannedTries`: phase id → tries so far). Each field only when not empty.
 */
export function startExtras(outputs: readonly (readonly [string, string])[], unplannedTries: ReadonlyMap<string, number>, planned: readonly Pick<PlannedPhase, 'id'>[]): Pick<RunStartedEvent, 'outputs' | 'triesBefore'> {
  const back = planned.flatMap(({ id }) => {
    const tries = unplannedTries.get(id) ?? 0;
    return tries > 0 ? [[id, tries] as const] : [];
  });
  return { ...(outputs.length > 0 ? { outputs: Object.fromEntries(outputs) } : {}), ...(back.length > 0 ? { triesBefore: Object.fromEntries(back) } : {}) };
}
