/**
 * PostgreSQL rows and their mapping to the shared read models. The tables mirror the
 * SQLite ones column for column, so the SQLite row mappers are reused; only the `bytea`
 * columns (UTF-8 text that may hold NUL) are decoded here first.
 */
import { isUtf8 } from 'node:buffer';
import type { AttemptRow, EventRow, PhaseRow, TryRow } from '../sqlite-rows';
import type { LeaseView } from '../rules';
import type { RunStatus } from '../../../shared/status';

/** Text as stored in a `bytea` column. */
export const toBytes = (text: string): Buffer => Buffer.from(text, 'utf8');
export const fromBytes = (bytes: Buffer): string => bytes.toString('utf8');
const maybeText = (bytes: Buffer | null): string | null => (bytes === null ? null : fromBytes(bytes));

export type PgAttemptRow = Omit<AttemptRow, 'flow_source'> & { flow_source: Buffer };
export type PgPhaseRow = Omit<PhaseRow, 'output' | 'stdout_tail' | 'stderr_tail'> & {
  output: Buffer | null;
  stdout_tail: Buffer | null;
  stderr_tail: Buffer | null;
};

export function attemptRow(r: PgAttemptRow): AttemptRow {
  return { ...r, flow_source: fromBytes(r.flow_source) };
}

export function phaseRow(r: PgPhaseRow): PhaseRow {
  return { ...r, output: maybeText(r.output), stdout_tail: maybeText(r.stdout_tail), stderr_tail: maybeText(r.stderr_tail) };
}

export type PgTryRow = Omit<TryRow, 'output' | 'stdout_tail' | 'stderr_tail' | 'command_line' | 'comment'> & {
  output: Buffer | null;
  stdout_tail: Buffer | null;
  stderr_tail: Buffer | null;
  command_line: Buffer | null;
  comment: Buffer | null;
};

export function tryRow(r: PgTryRow): TryRow {
  return {
    ...r, output: outputText(r.output), stdout_tail: maybeText(r.stdout_tail), stderr_tail: maybeText(r.stderr_tail),
    command_line: maybeText(r.command_line), comment: maybeText(r.comment),
  };
}

export type PgEventRow = Omit<EventRow, 'stdout_tail' | 'stderr_tail' | 'output' | 'outputs_json'> & {
  stdout_tail: Buffer | null;
  stderr_tail: Buffer | null;
  output: Buffer | null;
  reused_ids: string[] | null;
  reused_outputs: Buffer[] | null;
};

/** Saved output bytes that are not UTF-8 are damaged (SQLite: not TEXT): never shown as an output. */
export const outputText = (bytes: Buffer | null): string | null => (bytes !== null && isUtf8(bytes) ? fromBytes(bytes) : null);

export function eventRow(r: PgEventRow): EventRow {
  const { reused_ids: ids, reused_outputs: outputs, ...rest } = r;
  const reused = (ids ?? []).flatMap((id, i) => {
    const text = outputText(outputs?.[i] ?? null);
    return text === null ? [] : [[id, text] as const];
  });
  return {
    ...rest,
    stdout_tail: maybeText(r.stdout_tail),
    stderr_tail: maybeText(r.stderr_tail),
    output: outputText(r.output),
    outputs_json: reused.length > 0 ? JSON.stringify(Object.fromEntries(reused)) : null,
  };
}

/** The lease columns of a run, as locked by a resume or a reaper. */
export interface LeaseRow {
  id: string;
  attempt: number;
  status: RunStatus;
  owner_id: string | null;
  owner_pid: number | null;
  owner_host: string | null;
  heartbeat_at: number | null;
  /** When the attempt its owner runs started (a reaped run's attempt ends at the owner's last heartbeat, not before it). */
  attempt_started_at: number | null;
  /** Its last commit (or other change): with the heartbeat, when its owner was last known alive. */
  updated_at: number;
}

export const leaseOf = (row: LeaseRow): LeaseView => ({ ownerPid: row.owner_pid, ownerHost: row.owner_host, heartbeatAt: row.heartbeat_at });

/** Same owner, same heartbeat, still running: a verdict about the lease still holds. */
export const sameLease = (a: LeaseRow, b: LeaseRow): boolean =>
  a.status === b.status && a.owner_id === b.owner_id && a.owner_pid === b.owner_pid && a.owner_host === b.owner_host && a.heartbeat_at === b.heartbeat_at;

export interface ResultRow {
  phase_id: string;
  def_hash: string;
  output: Buffer;
  output_sha256: string;
  attempt: number;
  completed_at: number;
}
