/**
 * The PostgreSQL checkpoint store (SPEC §7): the same behaviour as the SQLite store, for
 * teams and for workers on several machines sharing one database.
 *
 * Every write is one transaction on a pooled connection. A commit locks its run row
 * (`FOR NO KEY UPDATE`), checks the lease, applies the facts and appends their events
 * with consecutive seqs; resumes lock the row `FOR UPDATE`; reapers lock rows with
 * `SKIP LOCKED` and re-check each lease under the lock, so a dead owner's run is reaped
 * exactly once however many processes reap at once. Writes of one run are queued in
 * this process, so its commits resolve in the order they were made.
 */
import { isUtf8 } from 'node:buffer';
import type pg from 'pg';
import type { PersistedEvent, RunFact } from '../../../shared/events';
import type { ApprovalDecision, AttemptRecord, PhaseRecord, PhaseResult, RunRecord, TranscriptEntry, TryRecord } from '../../../shared/records';
import type { LogRange, LogStream, TryLogPage } from '../../../shared/log/phase-log';
import type { RunsCursor } from '../../../shared/runs-page';
import type { RunStatus } from '../../../shared/status';
import { sha256 } from '../codec';
import { corruptResult, ownerGone, runNotFound } from '../rules';
import { toAttempt, toDecision, toEvent, toPhase, toProcess, toRun, toTranscript, toTry, type ApprovalRow, type ProcessRow, type RunRow, type TranscriptRow } from '../sqlite-rows';
import type { CheckpointStore, ClaimedRun, DecisionRequest, NewAttempt, NewRun, Owner, OwnerProbe, PhaseProcess, QueuedResume, RunStart } from '../types';
import { KeyedSerializer } from './keyed-serializer';
import { migratePg } from './migrations';
import { createPool, describeOpenError, inTransaction, sqlState, type Sql } from './pg-pool';
import { attemptRow, eventRow, fromBytes, leaseOf, phaseRow, tryRow, type LeaseRow, type PgAttemptRow, type PgEventRow, type PgPhaseRow, type PgTryRow, type ResultRow } from './pg-rows';
import { beginAttempt, commitFacts, createRun, reapJudged } from './pg-runs';
import { claimQueued, enqueueResume, enqueueRun } from './pg-queue';
import { cancelIdle, decide } from './pg-decide';
import { readLog } from './pg-logs';
import { exec, S } from './pg-statements';
import { redactUrl } from './pg-url';
import { channelFor, listen } from './pg-watch';

/** An `approvals` row: the comment is `bytea` (it may hold NUL, like every output). */
type PgApprovalRow = Omit<ApprovalRow, 'comment'> & { comment: Buffer };

export class PostgresStore implements CheckpointStore {
  private readonly serial = new KeyedSerializer();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly watchers = new Set<() => Promise<void>>();
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
    /** The LISTEN/NOTIFY channel of this database schema's runs. */
    readonly channel: string,
  ) {}

  /** Connects to `url`, migrates the schema and returns the store. Errors never show the password. */
  static async open(url: string): Promise<PostgresStore> {
    const pool = createPool(url);
    try {
      await migratePg(pool, redactUrl(url));
      const schema = await pool.query<{ schema: string | null }>('SELECT current_schema() AS schema');
      return new PostgresStore(pool, url, channelFor(schema.rows[0]?.schema ?? 'public'));
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw describeOpenError(err, url);
    }
  }

  createRun(init: NewRun, owner: Owner, now: number): Promise<RunStart> {
    return this.write(init.id, (sql) => createRun(sql, this.channel, init, owner, now));
  }

  beginAttempt(runId: string, init: NewAttempt, owner: Owner, now: number, isAlive: OwnerProbe): Promise<RunStart> {
    return this.write(runId, (sql) => beginAttempt(sql, this.channel, runId, init, owner, now, isAlive));
  }

  commit(runId: string, owner: Owner, facts: RunFact[], now: number): Promise<PersistedEvent[]> {
    return this.write(runId, (sql) => commitFacts(sql, this.channel, runId, owner, facts, now));
  }

  heartbeat(runId: string, owner: Owner, now: number): Promise<boolean> {
    // A single UPDATE takes the row lock itself: it waits for a reaper holding the row,
    // then finds the run no longer running and refuses.
    return this.track(exec(this.pool, S.heartbeat, [runId, owner.id, now]).then((r) => r.rowCount === 1));
  }

  reapOrphans(isAlive: OwnerProbe, now: number, staleMs: number): Promise<PersistedEvent[]> {
    return this.track(
      (async () => {
        // Judge every running run once, without locks (the probe is asked once per run,
        // as in SQLite); then reap the ones judged gone, under their row locks.
        const running = (await exec<LeaseRow>(this.pool, S.runningRuns, [])).rows;
        const gone = new Map(running.filter((r) => ownerGone(leaseOf(r), isAlive, now, staleMs)).map((r) => [r.id, r]));
        if (gone.size === 0) return [];
        return inTransaction(this.pool, (sql) => reapJudged(sql, this.channel, gone, now));
      })(),
    );
  }

  enqueueRun(init: NewRun, now: number): Promise<RunStart> {
    return this.write(init.id, (sql) => enqueueRun(sql, this.channel, init, now));
  }

  enqueueResume(runId: string, resume: QueuedResume, now: number): Promise<RunStart> {
    return this.write(runId, (sql) => enqueueResume(sql, this.channel, runId, resume, now));
  }

  /** `FOR UPDATE SKIP LOCKED` (pg-queue.ts): claimers on any machine never get the same run. */
  claimQueued(owner: Owner, now: number): Promise<ClaimedRun | undefined> {
    return this.track(inTransaction(this.pool, (sql) => claimQueued(sql, owner, now)));
  }

  /** Under the run's row lock (pg-decide.ts). */
  decide(runId: string, request: DecisionRequest, now: number): Promise<PersistedEvent[]> {
    return this.write(runId, (sql) => decide(sql, this.channel, runId, request, now));
  }

  /** Under the run's row lock, like decide (pg-decide.ts). */
  cancelIdle(runId: string, now: number): Promise<PersistedEvent[]> {
    return this.write(runId, (sql) => cancelIdle(sql, this.channel, runId, now));
  }

  async getTries(runId: string, phaseId?: string): Promise<TryRecord[]> {
    return (await this.read<PgTryRow>(S.tries, [runId, phaseId ?? null])).map((r) => toTry(tryRow(r)));
  }

  async getDecisions(runId: string): Promise<ApprovalDecision[]> {
    return (await this.read<PgApprovalRow>(S.decisions, [runId])).map((r) => toDecision({ ...r, comment: fromBytes(r.comment) }));
  }

  async recordProcess(process: PhaseProcess): Promise<void> {
    const { runId, phaseId, attempt, host, pgid, startTime, startedAt } = process;
    try {
      await this.track(exec(this.pool, S.recordProcess, [runId, phaseId, attempt, host, pgid, startTime, startedAt]));
    } catch (err) {
      if (sqlState(err) === '23503') throw runNotFound(runId); // foreign key: no such run
      throw err;
    }
  }

  async forgetProcess(runId: string, host: string, pgid: number): Promise<void> {
    await this.track(exec(this.pool, S.forgetProcess, [runId, host, pgid]));
  }

  async processesOf(runId: string): Promise<PhaseProcess[]> {
    return (await this.read<ProcessRow>(S.processesOf, [runId])).map(toProcess);
  }

  async strayProcesses(host: string): Promise<PhaseProcess[]> {
    return (await this.read<ProcessRow>(S.strayProcesses, [host])).map(toProcess);
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    const [row] = await this.read<RunRow>(S.getRun, [runId]);
    return row && toRun(row);
  }

  async listRuns(limit: number, status?: RunStatus, before?: RunsCursor): Promise<RunRecord[]> {
    const rows = before
      ? await this.read<RunRow>(S.listRunsBefore, [limit, status ?? null, before.createdAt, before.id])
      : await this.read<RunRow>(S.listRuns, [limit, status ?? null]);
    return rows.map(toRun);
  }

  async getAttempts(runId: string): Promise<AttemptRecord[]> {
    return (await this.read<PgAttemptRow>(S.attempts, [runId])).map((r) => toAttempt(attemptRow(r)));
  }

  async getPhases(runId: string): Promise<PhaseRecord[]> {
    return (await this.read<PgPhaseRow>(S.phases, [runId])).map((r) => toPhase(phaseRow(r)));
  }

  async getPhaseResults(runId: string, skipVerify: ReadonlySet<string> = new Set()): Promise<Map<string, PhaseResult>> {
    const results = new Map<string, PhaseResult>();
    for (const row of await this.read<ResultRow>(S.results, [runId])) {
      const output = fromBytes(row.output);
      if (!skipVerify.has(row.phase_id)) {
        if (!isUtf8(row.output)) throw corruptResult(runId, row.phase_id, 'the output is not text');
        if (sha256(output) !== row.output_sha256) throw corruptResult(runId, row.phase_id, 'its checksum does not match');
      }
      results.set(row.phase_id, { phaseId: row.phase_id, defHash: row.def_hash, output, attempt: row.attempt, completedAt: row.completed_at });
    }
    return results;
  }

  async readTranscript(runId: string, phaseId: string, fromIndex: number, limit: number): Promise<TranscriptEntry[]> {
    return (await this.read<TranscriptRow>(S.transcript, [runId, phaseId, fromIndex, limit])).map(toTranscript);
  }

  readLog(runId: string, phaseId: string, attempt: number, stream: LogStream, range: LogRange): Promise<TryLogPage | undefined> {
    return this.track(readLog(this.pool, runId, phaseId, attempt, stream, range));
  }

  async eventsSince(runId: string, afterSeq: number, limit: number): Promise<PersistedEvent[]> {
    return (await this.read<PgEventRow>(S.events, [runId, afterSeq, limit])).map((r) => toEvent(eventRow(r)));
  }

  async runsUpdatedSince(since: number): Promise<{ id: string; lastSeq: number; updatedAt: number }[]> {
    const rows = await this.read<{ id: string; last_seq: number; updated_at: number }>(S.updatedSince, [since]);
    return rows.map((r) => ({ id: r.id, lastSeq: r.last_seq, updatedAt: r.updated_at }));
  }

  /** LISTENs on this schema's channel: `onChange(runId)` after every commit of any process. */
  async watch(onChange: (runId: string) => void): Promise<() => Promise<void>> {
    const catchUp = async (since: number) => (await this.runsUpdatedSince(since)).map((r) => r.id);
    let stop: () => Promise<void>;
    try {
      stop = await listen({ url: this.url, channel: this.channel, onChange, catchUp });
    } catch (err) {
      throw describeOpenError(err, this.url);
    }
    const dispose = async (): Promise<void> => {
      if (this.watchers.delete(dispose)) await stop();
    };
    this.watchers.add(dispose);
    return dispose;
  }

  /** Waits for operations in flight, stops the watchers and closes every connection. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled([...this.inFlight]);
      await Promise.allSettled([...this.watchers].map((dispose) => dispose()));
      await this.pool.end();
    })();
    return this.closing;
  }

  /** One transaction, queued behind this process's earlier writes of the same run. */
  private write<T>(runId: string, work: (sql: Sql) => Promise<T>): Promise<T> {
    return this.track(this.serial.run(runId, () => inTransaction(this.pool, work)));
  }

  private async read<R extends pg.QueryResultRow>(statement: (typeof S)[keyof typeof S], values: unknown[]): Promise<R[]> {
    return (await this.track(exec<R>(this.pool, statement, values))).rows;
  }

  private track<T>(operation: Promise<T>): Promise<T> {
    this.inFlight.add(operation);
    const forget = () => this.inFlight.delete(operation);
    operation.then(forget, forget);
    return operation;
  }
}
