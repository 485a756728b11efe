/**
 * The reads of the SQLite store, on whichever connection they are given: the calling
 * thread's read connection (WAL lets it read while the writer thread writes), or the
 * writer's own for a `:memory:` database no other connection can see. Synchronous and
 * short; every result is plain data, so it can also cross the thread boundary.
 */
import type { PersistedEvent } from '../../shared/events';
import type { ApprovalDecision, AttemptRecord, PhaseRecord, PhaseResult, RunRecord, TranscriptEntry, TryRecord } from '../../shared/records';
import type { RunsCursor } from '../../shared/runs-page';
import type { RunStatus } from '../../shared/status';
import type { LogRange, LogStream, TryLogPage } from '../../shared/log/phase-log';
import { sha256 } from './codec';
import { readLog } from './sqlite-logs';
import { corruptResult } from './rules';
import { allObjects } from './sqlite-row-objects';
import { toAttempt, toDecision, toEvent, toPhase, toProcess, toRun, toTranscript, toTry, type ApprovalRow, type AttemptRow, type EventRow, type PhaseRow, type ProcessRow, type RunRow, type TranscriptRow, type TryRow } from './sqlite-rows';
import type { Statements } from './sqlite-statements';
import type { SeenLease } from './sqlite-writer-protocol';
import type { PhaseProcess } from './types';

/** A `running` run's lease, with what deciding whether its owner is gone needs. */
export interface RunningLease extends SeenLease {
  ownerPid: number | null;
  ownerHost: string | null;
  status: RunRecord['status'];
}

interface ResultRow {
  phase_id: string;
  def_hash: string;
  output: unknown;
  output_sha256: string;
  attempt: number;
  completed_at: number;
}

export class SqliteReads {
  constructor(private readonly q: Statements) {}

  getRun(runId: string): RunRecord | undefined {
    const row = this.q.getRun.get(runId) as RunRow | undefined;
    return row && toRun(row);
  }

  listRuns(limit: number, status?: RunStatus, before?: RunsCursor): RunRecord[] {
    const rows = before
      ? allObjects<RunRow>(this.q.listRunsBefore, { limit, status: status ?? null, createdAt: before.createdAt, id: before.id })
      : allObjects<RunRow>(this.q.listRuns, { limit, status: status ?? null });
    return rows.map(toRun);
  }

  getAttempts(runId: string): AttemptRecord[] {
    return (this.q.attempts.all(runId) as AttemptRow[]).map(toAttempt);
  }

  getPhases(runId: string): PhaseRecord[] {
    return allObjects<PhaseRow>(this.q.phases, runId).map(toPhase);
  }

  getPhaseResults(runId: string, skipVerify: ReadonlySet<string> = new Set()): Map<string, PhaseResult> {
    const results = new Map<string, PhaseResult>();
    for (const row of this.q.results.all(runId) as ResultRow[]) {
      if (!skipVerify.has(row.phase_id)) {
        if (typeof row.output !== 'string') throw corruptResult(runId, row.phase_id, 'the output is not text');
        if (sha256(row.output) !== row.output_sha256) throw corruptResult(runId, row.phase_id, 'its checksum does not match');
      }
      results.set(row.phase_id, { phaseId: row.phase_id, defHash: row.def_hash, output: row.output as string, attempt: row.attempt, completedAt: row.completed_at });
    }
    return results;
  }

  getTries(runId: string, phaseId?: string): TryRecord[] {
    return allObjects<TryRow>(this.q.tries, { runId, phaseId: phaseId ?? null }).map(toTry);
  }

  getDecisions(runId: string): ApprovalDecision[] {
    return (this.q.decisions.all(runId) as ApprovalRow[]).map(toDecision);
  }

  readTranscript(runId: string, phaseId: string, fromIndex: number, limit: number): TranscriptEntry[] {
    return (this.q.transcript.all(runId, phaseId, fromIndex, limit) as TranscriptRow[]).map(toTranscript);
  }

  readLog(runId: string, phaseId: string, attempt: number, stream: LogStream, range: LogRange): TryLogPage | undefined {
    return readLog(this.q.logs, runId, phaseId, attempt, stream, range);
  }

  eventsSince(runId: string, afterSeq: number, limit: number): PersistedEvent[] {
    return (this.q.events.all(runId, afterSeq, limit) as EventRow[]).map(toEvent);
  }

  runsUpdatedSince(since: number): { id: string; lastSeq: number; updatedAt: number }[] {
    return (this.q.updatedSince.all(since) as { id: string; last_seq: number; updated_at: number }[]).map((r) => ({ id: r.id, lastSeq: r.last_seq, updatedAt: r.updated_at }));
  }

  processesOf(runId: string): PhaseProcess[] {
    return (this.q.processesOf.all(runId) as ProcessRow[]).map(toProcess);
  }

  strayProcesses(host: string): PhaseProcess[] {
    return (this.q.strayProcesses.all(host) as ProcessRow[]).map(toProcess);
  }

  /** The leases of every `running` run: reaping decides on the calling side which owners are gone. */
  runningLeases(): RunningLease[] {
    return (this.q.runningRuns.all() as RunRow[]).map(leaseOfRow);
  }

  /** The lease of one run, whatever its status; undefined when there is no such run. */
  lease(runId: string): RunningLease | undefined {
    const row = this.q.getRun.get(runId) as RunRow | undefined;
    return row && leaseOfRow(row);
  }
}

function leaseOfRow(row: RunRow): RunningLease {
  return { runId: row.id, ownerId: row.owner_id, heartbeatAt: row.heartbeat_at, ownerPid: row.owner_pid, ownerHost: row.owner_host, status: row.status };
}
