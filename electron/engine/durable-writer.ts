/**
 * The durable write path of one run: redact → commit → emit (ARCHITECTURE.md, "Facts,
 * events and seq"). When a commit fails (disk full, database locked by another
 * process) the run goes on: the unsaved facts wait in a backlog, in order, and are
 * retried with the next commit and on a timer, so a run whose phase runs for an hour
 * does not sit on unsaved facts until it ends. The user is told at once, and again
 * when the store recovers.
 */
import { hasErrorCode, toErrorData } from '../../shared/errors';
import type { PersistedEvent, RunEvent, RunFact } from '../../shared/events';
import type { CheckpointStore, Owner } from '../store/types';

export const BACKLOG_RETRY_MS = 1_000;
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
}

export class DurableWriter {
  private backlog: RunFact[] = [];
  private retryTimer: NodeJS.Timeout | undefined;
  private failing = false;

  constructor(private readonly deps: DurableWriterDeps) {}

  /** True while facts are waiting to be saved. */
  get pending(): boolean {
    return this.backlog.length > 0;
  }

  /** Commits `facts` (after any backlog), then emits them. Never throws. */
  write(facts: RunFact[]): void {
    this.backlog.push(...this.deps.redact(facts));
    this.flush();
  }

  /**
   * Keeps trying to save the backlog until it is empty or `withinMs` passed.
   * True when everything written so far is durable.
   */
  async settle(withinMs = FINAL_SAVE_MS): Promise<boolean> {
    const deadline = Date.now() + withinMs;
    while (this.pending && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, Math.min(this.deps.retryMs ?? BACKLOG_RETRY_MS, Math.max(0, deadline - Date.now()))));
      this.flush();
    }
    this.stopTimer();
    return !this.pending;
  }

  dispose(): void {
    this.stopTimer();
  }

  private flush(): void {
    if (this.backlog.length === 0) return;
    const { store, runId, owner } = this.deps;
    let events: PersistedEvent[];
    try {
      events = store.commit(runId, owner, this.backlog, this.deps.now());
    } catch (err) {
      if (hasErrorCode(err, 'LEASE_LOST')) {
        this.backlog = [];
        this.stopTimer();
        return this.deps.onLeaseLost(err);
      }
      this.onFailure(err);
      return;
    }
    this.backlog = [];
    this.stopTimer();
    if (this.failing) {
      this.failing = false;
      this.deps.emit({ type: 'store.recovered', runId, message: 'the database is writable again; all progress is saved' });
    }
    for (const event of events) this.deps.emit(event);
  }

  private onFailure(err: unknown): void {
    if (!this.failing) {
      this.failing = true;
      this.deps.emit({ type: 'store.failed', runId: this.deps.runId, message: `could not save progress: ${describeStoreError(err)}; the run goes on and Waymark keeps retrying` });
    }
    if (!this.retryTimer) {
      this.retryTimer = setInterval(() => this.flush(), this.deps.retryMs ?? BACKLOG_RETRY_MS);
      this.retryTimer.unref();
    }
  }

  private stopTimer(): void {
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.retryTimer = undefined;
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
