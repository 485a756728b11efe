/** Row shapes of the SQLite schema and their mapping to the shared read models. */
import type { PersistedEvent, TranscriptRole } from '../../shared/events';
import type { AttemptRecord, PhaseRecord, RunRecord, TranscriptEntry } from '../../shared/records';
import type { PhaseProcess } from './types';
import type { PhaseStatus, RunStatus } from '../../shared/status';
import { decodeError, decodeJson } from './codec';

export interface RunRow {
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
}

export interface AttemptRow {
  run_id: string;
  attempt: number;
  flow_source: string;
  started_at: number;
  finished_at: number | null;
  status: RunStatus;
  error_json: string | null;
  pid: number;
  restart_phase: string | null;
  input_tokens: number;
  output_tokens: number;
}

export interface PhaseRow {
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
    usage: { inputTokens: r.input_tokens, outputTokens: r.output_tokens },
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
    usage: { inputTokens: r.input_tokens, outputTokens: r.output_tokens },
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
    usage: { inputTokens: r.input_tokens, outputTokens: r.output_tokens },
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
    usage: r.input_tokens === null && r.output_tokens === null ? null : { inputTokens: r.input_tokens ?? 0, outputTokens: r.output_tokens ?? 0 },
    at: r.at,
  };
}

export function toProcess(r: ProcessRow): PhaseProcess {
  return { runId: r.run_id, phaseId: r.phase_id, attempt: r.attempt, host: r.host, pgid: r.pgid, startTime: r.start_time, startedAt: r.started_at };
}
