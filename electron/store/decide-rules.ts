/**
 * What `CheckpointStore.decide` does, the same in every store: which decisions are
 * refused and with what message, and the facts an accepted one appends. Each store reads
 * the run, the phase and its latest decision inside one transaction (holding the run's
 * row), asks `decisionFacts`, and appends what it answers in that same transaction, so
 * of two decisions racing for one phase exactly one is recorded.
 */
import { WaymarkError } from '../../shared/errors';
import type { RunFact } from '../../shared/events';
import type { ApprovalDecision, PhaseWaiting } from '../../shared/records';
import type { RunStatus } from '../../shared/status';
import { decodeJson } from './codec';
import { runNotFound } from './rules';
import type { DecisionRequest } from './types';

/** The run as `decide` sees it under its lock. */
export interface DecideRun {
  id: string;
  status: RunStatus;
  attempt: number;
  ownerPid: number | null;
  ownerHost: string | null;
}

/** The phase as `decide` sees it; undefined when the run's plan has no such phase. */
export interface DecidePhase {
  kind: string;
  status: string;
  /** Its latest try. */
  attempts: number;
  startedAt: number | null;
  waiting: PhaseWaiting | null;
  /** Its latest decision, if any. */
  decision: ApprovalDecision | null;
}

/** The columns of `run_phases` decide reads (both SQL stores). */
export interface DecidePhaseRow {
  kind: string;
  status: string;
  attempts: number;
  started_at: number | null;
  waiting_json: string | null;
  decision_json: string | null;
}

export function decidePhaseOf(row: DecidePhaseRow): DecidePhase {
  const parse = <T>(json: string | null): T | null => (json === null ? null : decodeJson<T | null>(json, null));
  return { kind: row.kind, status: row.status, attempts: row.attempts, startedAt: row.started_at, waiting: parse<PhaseWaiting>(row.waiting_json), decision: parse<ApprovalDecision>(row.decision_json) };
}

/**
 * The facts recording `request` on a waiting approval: `approval.decided`, then the
 * phase's end (approved: succeeded, output = the comment, saved like any success so a
 * resume reuses it; rejected: failed with APPROVAL_REJECTED) and, when rejected, the
 * run's end (`failed`). Throws RUN_NOT_FOUND, RUN_OWNED (the run still runs somewhere:
 * decide there), USAGE (no such phase) or APPROVAL_NOT_WAITING saying why.
 */
export function decisionFacts(runId: string, run: DecideRun | undefined, phaseIds: readonly string[], phase: DecidePhase | undefined, request: DecisionRequest, now: number): RunFact[] {
  if (!run) throw runNotFound(runId);
  const { phaseId } = request;
  if (!phase) throw unknownPhase(run.id, phaseId, phaseIds);
  if (phase.kind !== 'approval') throw notApproval(run.id, phaseId, phase.kind);
  const waiting = phase.status === 'waiting' && phase.waiting?.reason === 'approval';
  if (!waiting) throw notWaiting(run.id, phaseId, whyNotWaiting(phase));
  if (run.status === 'running') throw stillRunning(run);
  if (run.status !== 'waiting') throw notWaiting(run.id, phaseId, `the run is ${run.status}`);
  const attempt = phase.attempts;
  const durationMs = Math.max(0, now - (phase.startedAt ?? now));
  const facts: RunFact[] = [{ type: 'approval.decided', attempt, ...request }];
  if (request.decision === 'approved') {
    facts.push({ type: 'phase.finished', phaseId, attempt, status: 'succeeded', durationMs, output: request.comment });
    return facts;
  }
  const error = { code: 'APPROVAL_REJECTED', message: rejectedBy(request.by, request.comment), where: { phaseId } } as const;
  facts.push({ type: 'phase.finished', phaseId, attempt, status: 'failed', durationMs, error });
  facts.push({ type: 'run.finished', attempt: run.attempt, status: 'failed', error });
  return facts;
}

/** The error of a rejected approval phase (the approval kind words it the same way). */
export function rejectedBy(by: string, reason: string): string {
  return `rejected by ${by}: ${reason}`;
}

/** "already approved by ada at 2026-…", or the phase's actual state. */
export function whyNotWaiting(phase: Pick<DecidePhase, 'status' | 'attempts' | 'decision'>): string {
  const last = phase.decision;
  if (last && last.attempt === phase.attempts) return `it was already ${last.decision} by ${last.by} at ${new Date(last.at).toISOString()}`;
  switch (phase.status) {
    case 'pending':
      return 'it has not started yet (its dependencies have not all succeeded)';
    case 'running':
      return 'it is running and has not asked for a decision yet';
    case 'skipped':
      return 'it was skipped (an optional dependency did not succeed)';
    default:
      return `it is ${phase.status}${phase.status === 'interrupted' || phase.status === 'failed' ? ' (resume the run: it asks again)' : ''}`;
  }
}

export function unknownPhase(runId: string, phaseId: string, phaseIds: readonly string[]): WaymarkError {
  return new WaymarkError('USAGE', `run ${runId} has no phase "${phaseId}" (phases: ${phaseIds.join(', ') || 'none'})`, { where: { phaseId } });
}

export function notApproval(runId: string, phaseId: string, kind: string): WaymarkError {
  return notWaiting(runId, phaseId, `it is ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} phase, not an approval`);
}

export function notWaiting(runId: string, phaseId: string, why: string): WaymarkError {
  return new WaymarkError('APPROVAL_NOT_WAITING', `phase "${phaseId}" of run ${runId} is not waiting for a decision: ${why}`, { where: { phaseId } });
}

/** The run is still executing in some process: only that process can hand it a decision. */
export function stillRunning(run: Pick<DecideRun, 'id' | 'ownerPid' | 'ownerHost'>): WaymarkError {
  const where = `${run.ownerHost ?? 'this machine'}:${run.ownerPid ?? '?'}`;
  return new WaymarkError(
    'RUN_OWNED',
    `run ${run.id} is still running in ${where} (other phases are running): decide in that process (the app or the server running it), or once the run is waiting (when nothing else can run)`,
  );
}
