/** Row shapes of the SQLite schema and their mapping to the shared read models. */
import type { PersistedEvent, TranscriptRole, Usage, WaitingFor } from '../../shared/events';
import type { ApprovalDecision, AttemptRecord, PhaseRecord, PhaseWaiting, RunRecord, TranscriptEntry, TryRecord } from '../../shared/records';
import type { PhaseProcess } from './types';
import type { PhaseStatus, RunStatus } from '../../shared/status';
import type { UsageTotals } from '../../shared/usage';
import { decodeBudget, decodeError, decodeJson } from './codec';

/** The summed usage columns of runs, run_attempts, run_phases and phase_attempts (migration 005). */
export interface TotalsColumns {
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  reasoning_tokens: number;
  cost_usd: number;
  steps: number;
  unpriced_steps: number;
}

export interface RunRow extends TotalsColumns {
  id: string;
  flow_name: string;
  flow_file: string | null;
  status: RunStatus;
  inputs_json: string;
  error_json: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
  attempt: number;
  last_seq: number;
  owner_id: string | null;
  owner_pid: number | null;
  owner_host: string | null;
  heartbeat_at: number | null;
  input_tokens: number;
  output_tokens: number;
  /** Migration 004: what a waiting run waits for (JSON WaitingFor). */
  waiting_for_json: string | null;
  /** Migration 007: where a rerun came from; the run's active time (shared/run-time.ts). */
  rerun_of_run_id: string | null;
  rerun_of_phase: string | null;
  active_ms: number;
  attempt_started_at: number | null;
}

export interface AttemptRow extends TotalsColumns {
  run_id: string;
  attempt: number;
  flow_source: string;
  started_at: number;
  finished_at: number | null;
  status: RunStatus;
  error_json: string | null;
  pid: number;
  restart_phase: string | null;
  budget_json: string | null;
}

export interface PhaseRow extends TotalsColumns {
  run_id: string;
  phase_id: string;
  position: number;
  kind: string;
  depends_on_json: string;
  def_hash: string;
  status: PhaseStatus;
  attempts: number;
  error_json: string | null;
  started_at: number | null;
  finished_at: number | null;
  exit_code: number | null;
  input_tokens: number;
  output_tokens: number;
  output: string | null;
  stdout_tail: string | null;
  stderr_tail: string | null;
  /** Migration 004: why and since when the phase waits (JSON PhaseWaiting), its latest decision (JSON ApprovalDecision). */
  waiting_json: string | null;
  decision_json: string | null;
}

/** A try as the `tries` statement reads it (sqlite-statements.ts TRY_COLUMNS). */
export interface TryRow extends TotalsColumns {
  run_id: string;
  phase_id: string;
  attempt: number;
  run_attempt: number;
  def_hash: string;
  status: PhaseStatus;
  started_at: number;
  finished_at: number | null;
  error_json: string | null;
  exit_code: number | null;
  output: string | null;
  stdout_tail: string | null;
  stderr_tail: string | null;
  command_line: string | null;
  decision: ApprovalDecision['decision'] | null;
  decided_by: string | null;
  comment: string | null;
  decided_at: number | null;
}

export function toTry(r: TryRow): TryRecord {
  return {
    runId: r.run_id,
    phaseId: r.phase_id,
    attempt: r.attempt,
    runAttempt: r.run_attempt,
    defHash: r.def_hash,
    status: r.status,
    error: decodeError(r.error_json),
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    exitCode: r.exit_code,
    output: r.output,
    stdoutTail: r.stdout_tail,
    stderrTail: r.stderr_tail,
    commandLine: r.command_line,
    usage: toTotals(r),
    decision:
      r.decision !== null && r.decided_by !== null && r.decided_at !== null
        ? { phaseId: r.phase_id, attempt: r.attempt, decision: r.decision, by: r.decided_by, comment: r.comment ?? '', at: r.decided_at }
        : null,
  };
}

export interface ProcessRow {
  run_id: string;
  phase_id: string;
  attempt: number;
  host: string;
  pgid: number;
  start_time: string | null;
  started_at: number;
}

export interface EventRow {
  run_id: string;
  seq: number;
  type: string;
  payload_json: string;
  at: number;
  /** Joined back in by the `events` statement (the log itself is slim). */
  stdout_tail: string | null;
  stderr_tail: string | null;
  output: string | null;
  outputs_json: string | null;
}

export interface TranscriptRow {
  phase_id: string;
  idx: number;
  attempt: number;
  role: TranscriptRole;
  content_json: string;
  input_tokens: number | null;
  output_tokens: number | null;
  cached_input_tokens: number | null;
  cache_write_tokens: number | null;
  reasoning_tokens: number | null;
  cost_usd: number | null;
  at: number;
}

export function toRun(r: RunRow): RunRecord {
  return {
    id: r.id,
    flowName: r.flow_name,
    flowFile: r.flow_file,
    status: r.status,
    inputs: decodeJson<Record<string, string>>(r.inputs_json, {}),
    error: decodeError(r.error_json),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
    attempt: r.attempt,
    lastSeq: r.last_seq,
    owner: r.owner_id !== null && r.owner_pid !== null ? { id: r.owner_id, pid: r.owner_pid, host: r.owner_host, heartbeatAt: r.heartbeat_at ?? 0 } : null,
    waitingFor: decodeJsonOrNull<WaitingFor>(r.waiting_for_json),
    usage: toTotals(r),
    rerunOf: r.rerun_of_run_id !== null && r.rerun_of_phase !== null ? { runId: r.rerun_of_run_id, phase: r.rerun_of_phase } : null,
    activeMs: r.active_ms,
    attemptStartedAt: r.attempt_started_at,
  };
}

export function toAttempt(r: AttemptRow): AttemptRecord {
  return {
    runId: r.run_id,
    attempt: r.attempt,
    flowSource: r.flow_source,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    status: r.status,
    error: decodeError(r.error_json),
    pid: r.pid,
    restartPhase: r.restart_phase,
    usage: toTotals(r),
    budget: decodeBudget(r.budget_json),
  };
}

export function toPhase(r: PhaseRow): PhaseRecord {
  return {
    runId: r.run_id,
    phaseId: r.phase_id,
    position: r.position,
    kind: r.kind,
    dependsOn: decodeJson<string[]>(r.depends_on_json, []),
    defHash: r.def_hash,
    status: r.status,
    attempts: r.attempts,
    error: decodeError(r.error_json),
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    exitCode: r.exit_code,
    output: r.output,
    stdoutTail: r.stdout_tail,
    stderrTail: r.stderr_tail,
    waiting: decodeJsonOrNull<PhaseWaiting>(r.waiting_json),
    decision: decodeJsonOrNull<ApprovalDecision>(r.decision_json),
    usage: toTotals(r),
  };
}

/** A logged event with its heavy fields joined back, as the live event carried them (shared/events.ts). */
export function toEvent(r: EventRow): PersistedEvent {
  const body = decodeJson<Record<string, unknown>>(r.payload_json, {});
  const heavy: Record<string, unknown> = {};
  if (r.type === 'phase.finished') {
    if (r.output !== null) heavy.output = r.output;
    if (r.stdout_tail !== null) heavy.stdoutTail = r.stdout_tail;
    if (r.stderr_tail !== null) heavy.stderrTail = r.stderr_tail;
  }
  const outputs = r.outputs_json === null ? {} : decodeJson<Record<string, string>>(r.outputs_json, {});
  if (r.type === 'run.started' && Object.keys(outputs).length > 0) heavy.outputs = outputs;
  return { ...body, ...heavy, type: r.type, runId: r.run_id, seq: r.seq, at: r.at } as PersistedEvent;
}

export function toTranscript(r: TranscriptRow): TranscriptEntry {
  return {
    phaseId: r.phase_id,
    index: r.idx,
    attempt: r.attempt,
    role: r.role,
    content: decodeJson<unknown>(r.content_json, null),
    usage: r.input_tokens === null && r.output_tokens === null ? null : stepUsage(r),
    at: r.at,
  };
}

export function toTotals(r: TotalsColumns): UsageTotals {
  return {
    inputTokens: r.input_tokens, outputTokens: r.output_tokens, cachedInputTokens: r.cached_input_tokens, reasoningTokens: r.reasoning_tokens,
    costUsd: r.cost_usd, steps: r.steps, unpricedSteps: r.unpriced_steps,
  };
}

/** A step's usage with the details the provider reported; `costUsd` null when it had no price. */
function stepUsage(r: TranscriptRow): Usage {
  return {
    inputTokens: r.input_tokens ?? 0,
    outputTokens: r.output_tokens ?? 0,
    ...(r.cached_input_tokens !== null ? { cachedInputTokens: r.cached_input_tokens } : {}),
    ...(r.cache_write_tokens !== null ? { cacheWriteTokens: r.cache_write_tokens } : {}),
    ...(r.reasoning_tokens !== null ? { reasoningTokens: r.reasoning_tokens } : {}),
    costUsd: r.cost_usd,
  };
}

export function toProcess(r: ProcessRow): PhaseProcess {
  return { runId: r.run_id, phaseId: r.phase_id, attempt: r.attempt, host: r.host, pgid: r.pgid, startTime: r.start_time, startedAt: r.started_at };
}

export interface ApprovalRow {
  phase_id: string;
  attempt: number;
  decision: ApprovalDecision['decision'];
  decided_by: string;
  comment: string;
  at: number;
}

export function toDecision(r: ApprovalRow): ApprovalDecision {
  return { phaseId: r.phase_id, attempt: r.attempt, decision: r.decision, by: r.decided_by, comment: r.comment, at: r.at };
}

/** A JSON column that is NULL when unset (waiting, decision, waitingFor); unreadable JSON reads as unset. */
function decodeJsonOrNull<T extends object>(json: string | null | undefined): T | null {
  if (json === null || json === undefined) return null;
  const value = decodeJson<T | null>(json, null);
  return value !== null && typeof value === 'object' ? value : null;
}
