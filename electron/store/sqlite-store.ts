/**
 * The SQLite checkpoint store (better-sqlite3), off the caller's thread for writes.
 *
 * - Writes go to a writer thread (sqlite-writer-thread.ts) that owns the write
 *   connection and applies requests with group commit: what arrives while one
 *   transaction runs shares the next `BEGIN IMMEDIATE ... COMMIT` (group-commit.ts).
 *   Every fsync and every wait for another process's lock (the busy timeout) happens
 *   there, never on the event loop of the CLI or of Electron's main process. A write
 *   resolves once its transaction committed: durable.
 * - Reads use a connection on the calling thread (WAL: it reads while the writer
 *   writes, never blocked by it). A read made after an awaited write sees that write.
 *   A `:memory:` database exists only on the writer's connection: there the writer
 *   answers reads too, in order with the writes.
 * - Decisions that need an OwnerProbe (a function: it cannot cross threads) are taken
 *   here from what the read connection shows, and the writer re-checks that the lease
 *   is unchanged inside its transaction (sqlite-writes.ts).
 */
import type { Database } from 'better-sqlite3';
import { toErrorData } from '../../shared/errors';
import type { PersistedEvent, RunFact } from '../../shared/events';
import type { ApprovalDecision, AttemptRecord, PhaseRecord, PhaseResult, RunRecord, TranscriptEntry, TryRecord } from '../../shared/records';
import type { LogRange, LogStream, TryLogPage } from '../../shared/log/phase-log';
import type { RunsCursor } from '../../shared/runs-page';
import type { RunStatus } from '../../shared/status';
import { openDatabase, type OpenOptions } from './database';
import { SCHEMA_VERSION } from './migrations';
import { ownerGone, runOwned } from './rules';
import { LazyWriter, type Writer } from './sqlite-lazy-writer';
import { SqliteReads } from './sqlite-reads';
import { prepareStatements } from './sqlite-statements';
import { WriterClient } from './sqlite-writer-client';
import type { ReadName, SeenLease, WriterStats } from './sqlite-writer-protocol';
import type { CheckpointStore, ClaimedRun, DecisionRequest, NewAttempt, NewRun, Owner, OwnerProbe, PhaseProcess, QueuedResume, RunStart } from './types';

export { PROCESS_ROW_BUSY_MS } from './group-commit';

type Read<N extends ReadName> = SqliteReads[N];

export class SqliteStore implements CheckpointStore {
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly writer: Writer,
    /** The read connection; undefined for `:memory:`, whose reads the writer answers. */
    private readonly reader: { db: Database; reads: SqliteReads } | undefined,
  ) {}

  /**
   * Opens (creating and migrating it if needed) the database at `path`: starts the
   * writer thread, waits for its migrations, then opens the read connection. Rejects
   * with DATABASE_TOO_NEW for a database from a newer Waymark, touching nothing.
   * `options.nativeBinding` (the Electron build of better-sqlite3) serves both threads.
   */
  static async open(path: string, options: OpenOptions = {}): Promise<SqliteStore> {
    const binding = options.nativeBinding ? { nativeBinding: options.nativeBinding } : {};
    const writer = await WriterClient.start({ path, options: binding });
    if (path === ':memory:' || path === '') return new SqliteStore(writer, undefined);
    try {
      const db = openDatabase(path, { ...binding, readonly: true });
      return new SqliteStore(writer, { db, reads: new SqliteReads(prepareStatements(db)) });
    } catch (err) {
      await writer.close();
      throw err;
    }
  }

  /**
   * Opens an existing database for a process that mostly reads (`waymark runs`, `show`):
   * the read connection only, the writer thread at the first write (sqlite-lazy-writer.ts).
   * A database that needs its migrations, or that a read-only connection cannot open (a
   * WAL a crashed writer left to recover), is opened as `open` does. Rejects with
   * DATABASE_TOO_NEW for a database from a newer Waymark, touching nothing.
   */
  static async openToRead(path: string, options: OpenOptions = {}): Promise<SqliteStore> {
    if (path === ':memory:' || path === '') return SqliteStore.open(path, options);
    const binding = options.nativeBinding ? { nativeBinding: options.nativeBinding } : {};
    let db: Database;
    try {
      db = openDatabase(path, { ...binding, readonly: true });
    } catch (err) {
      if (toErrorData(err).code === 'DATABASE_TOO_NEW') throw err;
      return SqliteStore.open(path, options);
    }
    if (db.pragma('user_version', { simple: true }) !== SCHEMA_VERSION) {
      db.close();
      return SqliteStore.open(path, options);
    }
    const writer = new LazyWriter(() => WriterClient.start({ path, options: binding }));
    return new SqliteStore(writer, { db, reads: new SqliteReads(prepareStatements(db)) });
  }

  createRun(init: NewRun, owner: Owner, now: number): Promise<RunStart> {
    return this.writer.call({ op: 'createRun', init, owner, now });
  }

  async beginAttempt(runId: string, init: NewAttempt, owner: Owner, now: number, isAlive: OwnerProbe): Promise<RunStart> {
    const lease = await this.read('lease', runId);
    let gone: SeenLease | null = null;
    // A run `owner` claimed from the queue is its own to begin: no liveness question.
    if (lease?.status === 'running' && lease.ownerId !== owner.id) {
      if (!ownerGone(lease, isAlive, now, Number.POSITIVE_INFINITY)) throw runOwned(runId, lease.ownerPid);
      gone = { runId, ownerId: lease.ownerId, heartbeatAt: lease.heartbeatAt };
    }
    return this.writer.call({ op: 'beginAttempt', runId, init, owner, now, gone });
  }

  commit(runId: string, owner: Owner, facts: RunFact[], now: number): Promise<PersistedEvent[]> {
    return this.writer.call({ op: 'commit', runId, owner, facts, now });
  }

  heartbeat(runId: string, owner: Owner, now: number): Promise<boolean> {
    return this.writer.call({ op: 'heartbeat', runId, owner, now });
  }

  /**
   * Heartbeats on the writer thread's own timer (stamped with its clock), so the lease
   * stays fresh while this thread is blocked by long synchronous work.
   */
  keepAlive(runId: string, owner: Owner, everyMs: number, onLost: () => void): () => void {
    return this.writer.keepAlive(runId, owner, everyMs, onLost);
  }

  async reapOrphans(isAlive: OwnerProbe, now: number, staleMs: number): Promise<PersistedEvent[]> {
    const gone = (await this.read('runningLeases'))
      .filter((lease) => ownerGone(lease, isAlive, now, staleMs))
      .map(({ runId, ownerId, heartbeatAt }): SeenLease => ({ runId, ownerId, heartbeatAt }));
    return gone.length === 0 ? [] : this.writer.call({ op: 'reap', gone, now });
  }

  enqueueRun(init: NewRun, now: number): Promise<RunStart> {
    return this.writer.call({ op: 'enqueueRun', init, now });
  }

  enqueueResume(runId: string, resume: QueuedResume, now: number): Promise<RunStart> {
    return this.writer.call({ op: 'enqueueResume', runId, resume, now });
  }

  claimQueued(owner: Owner, now: number): Promise<ClaimedRun | undefined> {
    return this.writer.call({ op: 'claimQueued', owner, now });
  }

  decide(runId: string, request: DecisionRequest, now: number): Promise<PersistedEvent[]> {
    return this.writer.call({ op: 'decide', runId, request, now });
  }

  cancelIdle(runId: string, now: number): Promise<PersistedEvent[]> {
    return this.writer.call({ op: 'cancelIdle', runId, now });
  }

  async getDecisions(runId: string): Promise<ApprovalDecision[]> {
    return this.read('getDecisions', runId);
  }

  async getTries(runId: string, phaseId?: string): Promise<TryRecord[]> {
    return this.read('getTries', runId, phaseId);
  }

  /** Behind another process's lock, fails after PROCESS_ROW_BUSY_MS (SQLITE_BUSY) rather than the busy timeout. */
  recordProcess(process: PhaseProcess): Promise<void> {
    return this.writer.call({ op: 'recordProcess', process });
  }

  forgetProcess(runId: string, host: string, pgid: number): Promise<void> {
    return this.writer.call({ op: 'forgetProcess', runId, host, pgid });
  }

  async processesOf(runId: string): Promise<PhaseProcess[]> {
    return this.read('processesOf', runId);
  }

  async strayProcesses(host: string): Promise<PhaseProcess[]> {
    return this.read('strayProcesses', host);
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    return this.read('getRun', runId);
  }

  async listRuns(limit: number, status?: RunStatus, before?: RunsCursor): Promise<RunRecord[]> {
    return this.read('listRuns', limit, status, before);
  }

  async getAttempts(runId: string): Promise<AttemptRecord[]> {
    return this.read('getAttempts', runId);
  }

  async getPhases(runId: string): Promise<PhaseRecord[]> {
    return this.read('getPhases', runId);
  }

  async getPhaseResults(runId: string, skipVerify?: ReadonlySet<string>): Promise<Map<string, PhaseResult>> {
    return this.read('getPhaseResults', runId, skipVerify);
  }

  async readTranscript(runId: string, phaseId: string, fromIndex: number, limit: number): Promise<TranscriptEntry[]> {
    return this.read('readTranscript', runId, phaseId, fromIndex, limit);
  }

  async readLog(runId: string, phaseId: string, attempt: number, stream: LogStream, range: LogRange): Promise<TryLogPage | undefined> {
    return this.read('readLog', runId, phaseId, attempt, stream, range);
  }

  async eventsSince(runId: string, afterSeq: number, limit: number): Promise<PersistedEvent[]> {
    return this.read('eventsSince', runId, afterSeq, limit);
  }

  async runsUpdatedSince(since: number): Promise<{ id: string; lastSeq: number; updatedAt: number }[]> {
    return this.read('runsUpdatedSince', since);
  }

  /** Runs a pragma on the writer's connection, in order with the writes: for tests and benchmarks. */
  pragma(source: string): Promise<unknown> {
    return this.writer.call({ op: 'pragma', source });
  }

  /** How group commit has batched the writes since the store opened. */
  writerStats(): Promise<WriterStats> {
    return this.writer.call({ op: 'stats' });
  }

  /** Waits for every write already made, then closes both connections and ends the writer thread. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      // The read connection first: the last connection to close checkpoints and removes the WAL.
      if (this.reader?.db.open) this.reader.db.close();
      await this.writer.close();
    })();
    return this.closing;
  }

  private async read<N extends ReadName>(name: N, ...args: Parameters<Read<N>>): Promise<ReturnType<Read<N>>> {
    if (!this.reader) return this.writer.call({ op: 'read', name, args }) as Promise<ReturnType<Read<N>>>;
    const reads = this.reader.reads;
    return (reads[name] as (...a: Parameters<Read<N>>) => ReturnType<Read<N>>).apply(reads, args);
  }
}
