/**
 * The durable write path of one run: redact → commit → emit (ARCHITECTURE.md, "Facts,
 * events and seq"). When a commit fails (disk full, database locked by another
 * process) the run goes on: the unsaved facts wait in a backlog, in order, and are
 * retried with the next commit and on a timer, so a run whose phase runs for an hour
 * does not sit on unsaved facts until it ends. The user is told at once, and again
 * when the store recovers. A commit that is merely slow (waiting for another process's
 * lock) is reported after SLOW_COMMIT_MS the same way.
 */
import { hasErrorCode, toErrorData } from '../../shared/errors';
import type { PersistedEvent, RunEvent, RunFact } from '../../shared/events';
import type { CheckpointStore, Owner } from '../store/types';

export const BACKLOG_RETRY_MS = 1_000;
/**
 * A commit still pending after this long is reported to the user. The store waits for
 * another process's lock longer than that (SQLite: BUSY_TIMEOUT_MS, off this thread),
 * and a run should not look stuck in silence meanwhile.
 */
export const SLOW_COMMIT_MS = 2_000;
/** How long the end of a run keeps trying to save its outcome before giving up. */
export const FINAL_SAVE_MS = 5_000;

export interface DurableWriterDeps {
  store: CheckpointStore;
  owner: Owner;
  runId: string;
  now(): number;
  redact<T>(value: T): T;
  emit(event: RunEvent): void;
  /** The lease is gone: another process owns the run now. */
  onLeaseLost(err: unknown): void;
  retryMs?: number;
  /** Default SLOW_COMMIT_MS. */
  slowMs?: number;
}

interface Pending {
  facts: RunFact[];
  /** Resolves the `write` that queued these facts; dropped once called. */
  settled?: () => void;
  /** The `write`'s synchronous callback (see write); dropped once called. */
  onSaved?: () => void;
}

export class DurableWriter {
  /** Facts not yet durable, in the order they were written. */
  private queue: Pending[] = [];
  private inFlight: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failing = false;
  /** A commit was reported slow and has not succeeded since. */
  private slowWarned = false;
  /** The run has ended and gave up saving: no commit starts any more (settle). */
  private ended = false;

  constructor(private readonly deps: DurableWriterDeps) {}

  /** True while facts are waiting to be saved. */
  get pending(): boolean {
    return this.queue.length > 0 || this.inFlight !== undefined;
  }

  /**
   * Queues `facts` after everything written before, and commits them with whatever
   * else is waiting (one commit for all facts that arrive while one is in flight).
   * Resolves once they are durable and emitted, or once their commit failed and the
   * failure was reported (they stay queued and are retried in order). Never rejects.
   * `onSaved` is called at that moment too, synchronously: right after these facts'
   * events were emitted, before the events of anything written later.
   */
  write(facts: RunFact[], onSaved?: () => void): Promise<void> {
    if (this.ended) return Promise.resolve(); // the run gave up saving (settle)
    return new Promise((settled) => {
      this.queue.push({ facts: this.deps.redact(facts), settled, ...(onSaved ? { onSaved } : {}) });
      this.pump();
    });
  }

  /**
   * Keeps trying to save what is queued until nothing is or `withinMs` passed.
   * True when everything written so far is durable.
   */
  async settle(withinMs = FINAL_SAVE_MS): Promise<boolean> {
    const deadline = Date.now() + withinMs;
    while (this.pending && Date.now() < deadline) {
      if (this.inFlight) {
        await this.inFlight;
        continue;
      }
      // Failing: the retry timer tries again; wait for it (or the deadline).
      const wait = Math.min(this.deps.retryMs ?? BACKLOG_RETRY_MS, Math.max(0, deadline - Date.now()));
      await new Promise((r) => setTimeout(r, wait));
      this.pump();
    }
    // Give up: start nothing more, and let a commit still in flight end (the store bounds
    // its wait for a lock), so what this returns is exactly what the store holds.
    this.ended = true;
    this.stopTimer();
    while (this.inFlight) await this.inFlight;
    return !this.pending;
  }

  dispose(): void {
    this.stopTimer();
  }

  private pump(): void {
    if (this.inFlight || this.queue.length === 0 || this.ended) return;
    const batch = this.queue;
    this.queue = [];
    const slow = setTimeout(() => this.onSlow(), this.deps.slowMs ?? SLOW_COMMIT_MS);
    slow.unref();
    this.inFlight = this.commit(batch).finally(() => {
      clearTimeout(slow);
      this.inFlight = undefined;
      // After a failure the retry timer (not this) tries again: a store that fails at
      // once must not be retried in a loop that never yields to the event loop.
      if (!this.failing) this.pump();
    });
  }

  private async commit(batch: Pending[]): Promise<void> {
    const { store, runId, owner } = this.deps;
    let events: PersistedEvent[];
    try {
      events = await store.commit(runId, owner, batch.flatMap((p) => p.facts), this.deps.now());
    } catch (err) {
      if (hasErrorCode(err, 'LEASE_LOST')) {
        this.queue = [];
        this.stopTimer();
        release(batch);
        return this.deps.onLeaseLost(err);
      }
      // Back in front, in order; whoever waits on them goes on (the run does not stop).
      this.queue = [...batch, ...this.queue];
      this.onFailure(err);
      release(batch);
      return;
    }
    this.stopTimer();
    if (this.failing || this.slowWarned) {
      this.failing = false;
      this.slowWarned = false;
      this.deps.emit({ type: 'store.recovered', runId, message: 'the database is writable again; all progress is saved' });
    }
    let next = 0;
    for (const pending of batch) {
      for (const event of events.slice(next, next + pending.facts.length)) this.deps.emit(event);
      next += pending.facts.length;
      release([pending]);
    }
  }

  private onSlow(): void {
    if (this.failing || this.slowWarned) return;
    this.slowWarned = true;
    const seconds = (this.deps.slowMs ?? SLOW_COMMIT_MS) / 1000;
    this.deps.emit({ type: 'store.failed', runId: this.deps.runId, message: `waiting for the database for more than ${seconds} s: it may be locked by another process; the run goes on and its progress is saved once the database is free` });
  }

  private onFailure(err: unknown): void {
    if (!this.failing) {
      this.failing = true;
      this.deps.emit({ type: 'store.failed', runId: this.deps.runId, message: `could not save progress: ${describeStoreError(err)}; the run goes on and Waymark keeps retrying` });
    }
    if (!this.retryTimer) {
      this.retryTimer = setInterval(() => this.pump(), this.deps.retryMs ?? BACKLOG_RETRY_MS);
      this.retryTimer.unref();
    }
  }

  private stopTimer(): void {
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.retryTimer = undefined;
  }
}

function release(batch: Pending[]): void {
  for (const p of batch) {
    p.onSaved?.();
    p.settled?.();
    delete p.onSaved;
    delete p.settled;
  }
}

/** One line a person understands: what failed and why. */
export function describeStoreError(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return 'the database is locked by another process';
  if (code === 'SQLITE_FULL') return 'the disk is full';
  if (code === 'SQLITE_READONLY') return 'the database is read-only';
  return toErrorData(err).message;
}
