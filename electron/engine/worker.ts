/**
 * A worker (SPEC §7): claims queued runs, up to `concurrency` at once, and executes each
 * with the engine under its lease, from the definition stored with the run.
 *
 * It looks for work when it starts, when one of its runs ends, and when the store says
 * something changed (PostgreSQL LISTEN/NOTIFY, `store.watch`); a store that cannot push
 * (SQLite) is polled every `pollMs`. It reaps at start and every `reapMs`: runs of dead
 * workers become `interrupted` and, having been claimed from the queue, are queued
 * again (rules.ts, requeueVerdict) for this worker or another to claim.
 *
 * `stop()` claims nothing more and stops its runs as a shutdown does: each is recorded
 * `interrupted`, resumable (not re-queued: a clean stop is not a dead worker).
 */
import { formatError, toErrorData } from '../../shared/errors';
import type { RunOutcome } from './engine';
import type { Engine } from './engine';

export interface WorkerOptions {
  engine: Engine;
  /** Runs executed at once, at least 1. */
  concurrency: number;
  /** Where relative `workdir`s (and flows without one) work (queued-runs.ts). */
  workspaceRoot: string;
  /** How often a store without `watch` is asked for queued runs (default 1 s). */
  pollMs?: number;
  /** How often dead owners are reaped (default 5 s); with `watch`, also a fallback look for work. */
  reapMs?: number;
  /** One line per claimed or finished run, and per problem. */
  log(line: string): void;
}

export const DEFAULT_POLL_MS = 1_000;
export const DEFAULT_REAP_MS = 5_000;

export class Worker {
  private readonly active = new Map<string, Promise<RunOutcome>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private unwatch: (() => Promise<void>) | undefined;
  private filling: Promise<void> | undefined;
  private again = false;
  private stopping = false;
  private lastProblem = '';

  constructor(private readonly options: WorkerOptions) {}

  /** Reaps, starts following the store and claims what is queued; resolves once the first look is done. */
  async start(): Promise<void> {
    const { engine } = this.options;
    await this.reap();
    const { pollMs = DEFAULT_POLL_MS, reapMs = DEFAULT_REAP_MS } = this.options;
    if (engine.store.watch) this.unwatch = await engine.store.watch(() => this.wake());
    else this.timers.push(setInterval(() => this.wake(), pollMs));
    this.timers.push(setInterval(() => void this.reap().then(() => this.wake()), reapMs));
    this.wake();
    await this.filling;
  }

  /** Runs executing now. */
  get running(): number {
    return this.active.size;
  }

  /** Claims nothing more, stops its runs (recorded `interrupted`) and waits for their outcomes. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) clearInterval(timer);
    await this.unwatch?.().catch(() => undefined);
    await this.filling;
    await this.options.engine.shutdown();
    await Promise.all(this.active.values());
  }

  /** Looks for work soon; looks at most one at a time, once more if woken meanwhile. */
  private wake(): void {
    if (this.stopping) return;
    if (this.filling) {
      this.again = true;
      return;
    }
    this.filling = this.fill().finally(() => {
      this.filling = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async fill(): Promise<void> {
    const { engine, concurrency, workspaceRoot, log } = this.options;
    while (!this.stopping && this.active.size < concurrency) {
      let handle;
      try {
        const claim = await engine.store.claimQueued(engine.owner, Date.now());
        if (!claim) return;
        log(`claimed run ${claim.run.id} (${claim.run.flowName}${claim.run.attempt > 0 ? `, after attempt ${claim.run.attempt}` : ''})`);
        handle = await engine.startClaimed(claim, workspaceRoot);
      } catch (err) {
        this.problem(`could not claim or start a queued run: ${formatError(toErrorData(err))}`);
        return;
      }
      const { runId } = handle;
      const done = handle.done.then((outcome) => {
        this.active.delete(runId);
        log(`run ${runId} ${outcome.status}${outcome.error ? `: ${outcome.error.message}` : ''}`);
        this.wake();
        return outcome;
      });
      this.active.set(runId, done);
    }
  }

  private async reap(): Promise<void> {
    try {
      const events = await this.options.engine.reapOrphans();
      for (const runId of new Set(events.filter((e) => e.type === 'run.queued').map((e) => e.runId))) this.options.log(`re-queued run ${runId}: its worker stopped without finishing it`);
    } catch (err) {
      this.problem(`could not look for runs of dead workers: ${formatError(toErrorData(err))}`);
    }
  }

  /** Reports a problem once until a different one happens (a database that stays down is not a log flood). */
  private problem(message: string): void {
    if (message !== this.lastProblem) this.options.log(`warning: ${message}`);
    this.lastProblem = message;
  }
}
