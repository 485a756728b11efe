/**
 * Group commit on the writer thread (STYLE rule 11). Requests that arrive while a
 * transaction runs (or in the same turn of the event loop) are applied together in the
 * next single `BEGIN IMMEDIATE ... COMMIT`: one fsync for all of them. Each request
 * runs in its own SAVEPOINT, so one that is refused (LEASE_LOST, an invalid fact,
 * RUN_OWNED...) is rolled back alone and rejects only its own caller. Every caller is
 * answered after COMMIT returned: a resolved write is durable.
 *
 * Requests are applied in arrival order, so commits of one run keep their order.
 *
 * A transaction of only lease heartbeats and process rows is committed without fsync
 * (synchronous=NORMAL, WAL): those rows matter only while the process they describe
 * lives. If Waymark crashes or is killed, what it wrote is still in the operating
 * system's cache, and the next process reads it; a power loss ends the processes too.
 * The next durable commit flushes them anyway (the WAL is one file, synced in order).
 * Everything else, every fact, is fsynced before its caller hears back.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { WriteRequest, WriterStats } from './sqlite-writer-protocol';
import type { SqliteWrites, TxRequest } from './sqlite-writes';

/** How long writing a process row waits for another process's write lock. */
export const PROCESS_ROW_BUSY_MS = 250;

export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

interface Queued {
  request: WriteRequest;
  settle(outcome: Outcome): void;
}

interface Control {
  begin: Statement;
  commit: Statement;
  rollback: Statement;
  savepoint: Statement;
  release: Statement;
  rollbackTo: Statement;
}

export class GroupCommit {
  private queue: Queued[] = [];
  private scheduled = false;
  private readonly stats: WriterStats = { transactions: 0, requests: 0 };
  private readonly sql: Control;
  private readonly db: Database;

  constructor(
    private readonly writes: SqliteWrites,
    /** The connection's usual busy timeout, restored after a short wait for process rows. */
    private readonly busyMs: number,
  ) {
    this.db = writes.db;
    const p = (sql: string) => this.db.prepare(sql);
    this.sql = { begin: p('BEGIN IMMEDIATE'), commit: p('COMMIT'), rollback: p('ROLLBACK'), savepoint: p('SAVEPOINT request'), release: p('RELEASE request'), rollbackTo: p('ROLLBACK TO request') };
  }

  submit(request: WriteRequest, settle: (outcome: Outcome) => void): void {
    this.queue.push({ request, settle });
    if (this.scheduled) return;
    this.scheduled = true;
    // After the messages already waiting for this thread have been queued too.
    setImmediate(() => this.drain());
  }

  /** Applies everything queued: transactional requests in shared transactions, the others alone between them. */
  drain(): void {
    this.scheduled = false;
    const queued = this.queue;
    this.queue = [];
    let batch: Queued[] = [];
    for (const item of queued) {
      if (item.request.op !== 'pragma' && item.request.op !== 'stats') {
        batch.push(item);
        continue;
      }
      this.transact(batch);
      batch = [];
      item.settle(this.alone(item.request));
    }
    this.transact(batch);
  }

  /** Closes the connection; call after a last `drain`. */
  close(): void {
    this.db.close();
  }

  private alone(request: Extract<WriteRequest, { op: 'pragma' } | { op: 'stats' }>): Outcome {
    if (request.op === 'stats') return { ok: true, value: { ...this.stats } };
    try {
      return { ok: true, value: this.db.pragma(request.source) };
    } catch (error) {
      return { ok: false, error };
    }
  }

  private transact(batch: Queued[]): void {
    const relaxed = batch.length > 0 && !batch.some((item) => mustSync(item.request)) && this.relaxSync();
    try {
      this.transactNow(batch);
    } finally {
      if (relaxed !== false) this.db.pragma(`synchronous = ${relaxed}`);
    }
  }

  /** Switches this connection to synchronous=NORMAL; returns the setting to restore, or false when it was already lower. */
  private relaxSync(): number | false {
    const usual = this.db.pragma('synchronous', { simple: true }) as number;
    if (usual <= SYNCHRONOUS_NORMAL) return false;
    this.db.pragma(`synchronous = ${SYNCHRONOUS_NORMAL}`);
    return usual;
  }

  private transactNow(batch: Queued[]): void {
    const live = this.begin(batch);
    if (live.length === 0) return;
    const outcomes: Outcome[] = [];
    try {
      for (const item of live) outcomes.push(this.applyOne(item.request as TxRequest));
      this.sql.commit.run();
    } catch (error) {
      // The transaction itself failed (COMMIT refused, or SQLite rolled everything back
      // on a full disk or an I/O error): nothing of this batch is durable.
      if (this.db.inTransaction) this.sql.rollback.run();
      for (const item of live) item.settle({ ok: false, error });
      return;
    }
    this.stats.transactions += 1;
    this.stats.requests += live.length;
    live.forEach((item, i) => item.settle(outcomes[i] as Outcome));
  }

  /** One request in its own savepoint. Throws only when the whole transaction is lost. */
  private applyOne(request: TxRequest): Outcome {
    this.sql.savepoint.run();
    try {
      const value = this.writes.execute(request);
      this.sql.release.run();
      return { ok: true, value };
    } catch (error) {
      if (!this.db.inTransaction) throw error;
      this.sql.rollbackTo.run();
      this.sql.release.run();
      return { ok: false, error };
    }
  }

  /**
   * Takes the write lock for `batch`; returns the requests still to apply. Process rows
   * are bookkeeping written mid-phase (types.ts): behind another process's lock they
   * fail after PROCESS_ROW_BUSY_MS while the rest of the batch waits out the busy timeout.
   */
  private begin(batch: Queued[]): Queued[] {
    if (batch.length === 0) return [];
    let live = batch;
    if (batch.some((item) => impatient(item.request))) {
      const error = this.tryBegin(PROCESS_ROW_BUSY_MS);
      if (error === undefined) return live;
      const fails = isBusy(error) ? live.filter((item) => impatient(item.request)) : live;
      for (const item of fails) item.settle({ ok: false, error });
      live = live.filter((item) => !fails.includes(item));
      if (live.length === 0) return [];
    }
    const error = this.tryBegin(this.busyMs);
    if (error === undefined) return live;
    for (const item of live) item.settle({ ok: false, error });
    return [];
  }

  private tryBegin(waitMs: number): unknown {
    const changed = waitMs !== this.busyMs;
    if (changed) this.db.pragma(`busy_timeout = ${waitMs}`);
    try {
      this.sql.begin.run();
      return undefined;
    } catch (error) {
      return error;
    } finally {
      if (changed) this.db.pragma(`busy_timeout = ${this.busyMs}`);
    }
  }
}

const impatient = (request: WriteRequest): boolean => request.op === 'recordProcess' || request.op === 'forgetProcess';

const SYNCHRONOUS_NORMAL = 1;

/** Requests whose rows must survive a power loss (see the top of this file). */
const mustSync = (request: WriteRequest): boolean => !impatient(request) && request.op !== 'heartbeat' && request.op !== 'read';

const isBusy = (error: unknown): boolean => {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
};
