/**
 * A person's decision on an approval phase (SPEC §2, §6 `approve` / `reject`), for the
 * engine facade: wherever the run is, the decision is durable before anything goes on.
 *
 * - The run executes in this process and the phase is parked: `approval.decided` is
 *   committed through the run's durable writer, then the phase goes on (approved:
 *   succeeds with the comment as output; rejected: fails, normal failure rules).
 * - The run is `waiting` (no process holds it): `store.decide` records it in one
 *   transaction; approved, the run then continues here like a resume (the approval is
 *   reused, its dependents run, other waiting approvals ask again); rejected, the run
 *   is `failed` (a resume asks again).
 */
import { userInfo } from 'node:os';
import { WaymarkError, toErrorData } from '../../shared/errors';
import type { PersistedEvent } from '../../shared/events';
import { MAX_DECISION_TEXT } from '../../shared/records';
import { notApproval, notWaiting, unknownPhase, whyNotWaiting } from '../store/decide-rules';
import { runNotFound } from '../store/rules';
import type { CheckpointStore } from '../store/types';
import type { RunHandle, RunOutcome } from './engine';
import type { Execution } from './run-execution';

export interface DecisionInput {
  runId: string;
  phaseId: string;
  decision: 'approved' | 'rejected';
  /** The approval's comment (its output; '' when none), or the rejection's reason (required). */
  comment?: string;
  /** Who decides; default: this process's OS user (reviewerName). */
  by?: string;
}

export interface DecisionDeps {
  store: CheckpointStore;
  now(): number;
  /** The run's execution when this process runs it. */
  active(runId: string): Execution | undefined;
  emit(event: PersistedEvent): void;
  /** Continues a waiting run whose approval was just recorded (Engine.resumeRun). */
  resume(runId: string): Promise<RunHandle>;
}

/**
 * Records the decision; resolves with the run's handle once it is durable (its `done`
 * settles with the run's next outcome). Throws USAGE (bad input, unknown phase),
 * RUN_NOT_FOUND, RUN_OWNED (the run executes in another process) or
 * APPROVAL_NOT_WAITING (decided already, or not waiting: the message says why).
 */
export async function decide(deps: DecisionDeps, input: DecisionInput): Promise<RunHandle> {
  const { runId, phaseId, decision } = input;
  const comment = checkedText(input);
  const by = input.by ?? reviewerName();
  const execution = deps.active(runId);
  if (execution) {
    if (await execution.decide(phaseId, { decision, by, comment })) return { runId, done: execution.done };
    throw await notParked(deps.store, runId, phaseId);
  }
  const events = await deps.store.decide(runId, { phaseId, decision, by, comment }, deps.now());
  events.forEach((e) => deps.emit(e));
  const ended = events.find((e) => e.type === 'run.finished');
  if (ended?.type === 'run.finished') {
    const outcome: RunOutcome = { runId, status: ended.status, error: ended.error ?? null };
    return { runId, done: Promise.resolve(outcome) };
  }
  try {
    return await deps.resume(runId);
  } catch (err) {
    const error = toErrorData(err);
    throw new WaymarkError(error.code, `the approval of "${phaseId}" is recorded, but run ${runId} could not continue: ${error.message} (fix that, then: waymark resume ${runId})`);
  }
}

/**
 * Who decides, as the decision records it: the OS user name (the same person in the
 * CLI, the desktop app and the server they started), else $USER, else "unknown".
 */
export function reviewerName(env: NodeJS.ProcessEnv = process.env): string {
  try {
    const name = userInfo().username;
    if (name) return name;
  } catch {
    // no passwd entry (a container): fall back to the environment
  }
  return env.USER || env.USERNAME || 'unknown';
}

function checkedText(input: DecisionInput): string {
  const text = input.comment ?? '';
  if (input.decision === 'rejected' && text.trim() === '') throw new WaymarkError('USAGE', `rejecting "${input.phaseId}" needs a reason: say what must change`);
  if (text.length > MAX_DECISION_TEXT) throw new WaymarkError('USAGE', `the ${input.decision === 'rejected' ? 'reason' : 'comment'} is ${text.length} characters long; at most ${MAX_DECISION_TEXT} are kept`);
  return text;
}

/** Why the phase of a run executing here takes no decision now. */
async function notParked(store: CheckpointStore, runId: string, phaseId: string): Promise<WaymarkError> {
  const phases = await store.getPhases(runId);
  if (phases.length === 0 && !(await store.getRun(runId))) return runNotFound(runId);
  const phase = phases.find((p) => p.phaseId === phaseId);
  if (!phase) return unknownPhase(runId, phaseId, phases.map((p) => p.phaseId));
  if (phase.kind !== 'approval') return notApproval(runId, phaseId, phase.kind);
  return notWaiting(runId, phaseId, whyNotWaiting(phase));
}
