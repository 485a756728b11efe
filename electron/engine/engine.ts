/**
 * The engine facade used by the CLI, serve mode and the desktop app: start a run,
 * resume one, cancel, shut down. It owns the lease of each run it executes, commits
 * facts through the store and emits them to listeners only after they are durable
 * (run-execution.ts); resume-computation.ts decides what a resume reuses.
 */
import { createEmitter } from '../../shared/emitter';
import { WaymarkError, type WaymarkErrorData } from '../../shared/errors';
import type { Budget, PersistedEvent, RunEvent, WaitingFor } from '../../shared/events';
import type { RunRecord } from '../../shared/records';
import type { RunStatus } from '../../shared/status';
import { notResumable, runNotFound, runOwned } from '../store/rules';
import type { CheckpointStore, ClaimedRun, Owner, OwnerProbe } from '../store/types';
import { loadFlow, prepareWorkspace, type LoadedFlow } from './flow-file';
import { newRunId } from './ids';
import { resolveInputs } from './inputs';
import { defaultKinds, type KindRegistry } from './kinds';
import { HEARTBEAT_MS, LEASE_STALE_MS, ownerProbe, processOwner } from './lease';
import { PhaseProcesses } from './phase-processes';
import { attemptOf, claimedFlow, failClaimed, newRunOf } from './queued-runs';
import { assertBudgetPriced } from './pricing/budget-prices';
import { checkBudgetUsd, resumeBudget, spentBy } from './run-budget';
import { createRedactor, secretValues, type Redactor } from './redact';
import { computeResume, hashesOf, type ResumeComputation } from './resume-computation';
import { computeRerun, rerunOf, type RerunRequest } from './rerun';
import { executeRun, type Execution, type ExecutionSpec } from './run-execution';
import { decide, type DecisionInput } from './decisions';
import { sandboxSettings, type SandboxSettings } from './sandbox/settings';

export type { ResumeComputation, RerunRequest };

export interface EngineOptions {
  store: CheckpointStore;
  kinds?: KindRegistry;
  owner?: Owner;
  /**
   * The environment phases run with (provider keys included). A function is called each
   * time a run starts or resumes: the desktop app supplies its stored keys this way.
   */
  env?: NodeJS.ProcessEnv | (() => NodeJS.ProcessEnv);
  /**
   * What sandboxed commands must not see. Default: home, Waymark's data folder and the
   * database `env` selects; a process opening another database (`--db`) passes its own.
   */
  sandbox?: SandboxSettings;
  now?: () => number;
  heartbeatMs?: number;
  /** How often facts a failed commit could not save are retried; how long a run's end keeps trying. */
  storeRetryMs?: number;
  finalSaveMs?: number;
}

export interface RunOutcome {
  runId: string;
  status: Exclude<RunStatus, 'running' | 'queued'>;
  error: WaymarkErrorData | null;
  /** Set when `status` is `waiting`: the approvals and/or budget the run waits for. */
  waitingFor?: WaitingFor;
}

export interface RunHandle {
  runId: string;
  /** Settles when the outcome is recorded; never rejects. */
  done: Promise<RunOutcome>;
}

export interface StartRequest {
  flowFile: string;
  inputs?: Record<string, string>;
}

export interface ResumeRequest {
  runId: string;
  restartPhase?: string;
  /** The attempt's USD limit (`resume --budget-usd`); otherwise run-budget.ts decides. */
  budgetUsd?: number;
}

/** Why a run stops early: the reason carried by its abort signal. */
export const SHUTDOWN_REASON = () => new WaymarkError('INTERRUPTED', 'Waymark is shutting down');
export const CANCEL_REASON = () => new WaymarkError('CANCELLED', 'cancelled by the user');

export class Engine {
  readonly store: CheckpointStore;
  readonly owner: Owner;
  private readonly kinds: KindRegistry;
  private readonly env: NodeJS.ProcessEnv | (() => NodeJS.ProcessEnv);
  private readonly sandbox: SandboxSettings;
  private readonly now: () => number;
  private readonly heartbeatMs: number;
  private readonly storeTiming: { storeRetryMs?: number; finalSaveMs?: number };
  /** A failing listener must not break the run: the emitter isolates each. */
  private readonly listeners = createEmitter<RunEvent>();
  private readonly active = new Map<string, Execution>();
  /** Secrets of `env`; each run adds its flow's provider keys (see execute). */
  private readonly redactor: Redactor;
  /** Trusts a pid only for owners on this host (lease.ts). */
  private readonly isOwnerAlive: OwnerProbe;
  /** Process groups of this engine's phases, and those dead owners left (SPEC §4). */
  private readonly processes: PhaseProcesses;

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.kinds = options.kinds ?? defaultKinds();
    this.owner = options.owner ?? processOwner();
    this.env = options.env ?? process.env;
    this.sandbox = options.sandbox ?? sandboxSettings(this.currentEnv());
    this.now = options.now ?? Date.now;
    this.heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    this.storeTiming = { ...(options.storeRetryMs !== undefined ? { storeRetryMs: options.storeRetryMs } : {}), ...(options.finalSaveMs !== undefined ? { finalSaveMs: options.finalSaveMs } : {}) };
    this.redactor = createRedactor(secretValues(this.currentEnv()));
    this.isOwnerAlive = ownerProbe(this.owner.host);
    this.processes = new PhaseProcesses(this.store, this.owner.host, this.now);
  }

  /**
   * Marks runs whose owner process is gone as interrupted. Call once at process start.
   * Then stops, in the background, the process groups such runs left on this host
   * (SIGTERM, SIGKILL after 2 s); a resume of one of them waits for that to finish.
   */
  async reapOrphans(): Promise<PersistedEvent[]> {
    const events = await this.store.reapOrphans(this.isOwnerAlive, this.now(), LEASE_STALE_MS);
    for (const event of events) this.emit(event);
    void this.processes.stopStrays();
    return events;
  }

  /**
   * SIGKILLs every command this process is running, at once and synchronously: for an
   * exit that cannot wait for the graceful stop (a second Ctrl+C). Returns how many.
   */
  killProcessGroupsNow(): number {
    return this.processes.killAllNow();
  }

  onEvent(listener: (event: RunEvent) => void): () => void {
    return this.listeners.on(listener);
  }

  /** Validates, creates the run and starts executing it; resolves once the run exists. */
  startRun(request: StartRequest): Promise<RunHandle> {
    return this.startLoaded(loadFlow(request.flowFile), request.inputs ?? {});
  }

  async startLoaded(loaded: LoadedFlow, givenInputs: Record<string, string>): Promise<RunHandle> {
    const { flow } = loaded;
    const inputs = resolveInputs(flow, givenInputs);
    const hashes = hashesOf(flow);
    // Everything that can refuse the run happens before it exists: no run is left
    // `running` by an error on the way to starting it.
    await assertBudgetPriced(flow, loaded.source, loaded.file);
    const workdir = prepareWorkspace(flow, loaded.file);
    const runId = newRunId(this.now());
    const { events } = await this.store.createRun(newRunOf(runId, loaded, inputs, hashes), this.owner, this.now());
    events.forEach((e) => this.emit(e));
    const budget = flow.budget ? { budget: { limit: flow.budget, spentBefore: { usd: 0, tokens: 0 } } } : {};
    return this.execute({ runId, runAttempt: 1, flow, workdir, hashes, inputs, complete: new Map(), priorAttempts: new Map(), notices: new Map(), freshTranscripts: new Set(), ...budget });
  }

  /** Takes the run's lease and starts its next attempt; resolves once the attempt exists. */
  async resumeRun(request: ResumeRequest): Promise<RunHandle> {
    const { runId, restartPhase } = request;
    checkBudgetUsd(request.budgetUsd);
    const r = await this.resumePlan(request);
    const { flow } = r.loaded;
    const limit = await this.attemptBudget(r, request.budgetUsd);
    const workdir = prepareWorkspace(flow, r.loaded.file);
    const { run: started, events } = await this.store.beginAttempt(runId, attemptOf(r, r.loaded.file, restartPhase ?? null, limit), this.owner, this.now(), this.isOwnerAlive);
    events.forEach((e) => this.emit(e));
    const { complete, notices, freshTranscripts, inputs, hashes } = r;
    const priorAttempts = withTriesBefore(r.priorAttempts, events);
    // With the lease held, the previous owner is gone: stop what it left running first.
    const ready = this.processes.stopRun(runId);
    const budget = limit ? { budget: { limit, spentBefore: spentBy(r.run) } } : {};
    return this.execute({ runId, runAttempt: started.attempt, flow, workdir, hashes, inputs, complete, priorAttempts, notices, freshTranscripts, ready, ...budget });
  }

  /**
   * The budget a resume runs under (run-budget.ts), refused with FLOW_INVALID when it
   * has a USD limit and a model of the flow has no price.
   */
  private async attemptBudget(r: ResumeComputation, budgetUsd: number | undefined): Promise<Budget | undefined> {
    const attempts = await this.store.getAttempts(r.run.id);
    const limit = resumeBudget(r.loaded.flow.budget, attempts[attempts.length - 1], budgetUsd);
    await assertBudgetPriced(r.loaded.flow, r.loaded.source, r.loaded.file, limit);
    return limit;
  }

  /**
   * What resuming a run would do now: the flow it would run with and the completed set
   * and frontier. `resumeRun` executes exactly this; the app's resume preview shows it.
   * Throws the same refusals as `resumeRun` (not found, not resumable, owned, bad phase).
   */
  async resumePlan(request: ResumeRequest): Promise<ResumeComputation> {
    const { runId } = request;
    const run = await this.store.getRun(runId);
    if (!run) throw runNotFound(runId);
    if (run.status === 'succeeded' || run.status === 'queued') throw notResumable(runId, run.status);
    if (this.active.has(runId)) throw runOwned(runId, this.owner.pid);
    if (run.status === 'running' && run.owner && this.isOwnerAlive(run.owner.pid, run.owner.host)) throw runOwned(runId, run.owner.pid);
    return computeResume(this.store, run, request.restartPhase);
  }

  /**
   * What running a run again from a phase would do now (rerun.ts): the completed set with
   * that phase restarted. `rerunRun` executes exactly this; the app's preview shows it.
   * Throws RUN_NOT_FOUND, or USAGE for a phase the flow does not have.
   */
  async rerunPlan(request: RerunRequest): Promise<ResumeComputation> {
    const run = await this.store.getRun(request.runId);
    if (!run) throw runNotFound(request.runId);
    return computeRerun(this.store, run, request.fromPhase);
  }

  /**
   * Runs a run again from a phase as a NEW run (SPEC §4): it reuses the saved outputs
   * the plan keeps, copied from the run it came from, and records where it came from.
   * Resolves once the new run exists.
   */
  async rerunRun(request: RerunRequest): Promise<RunHandle> {
    const r = await this.rerunPlan(request);
    const { flow } = r.loaded;
    await assertBudgetPriced(flow, r.loaded.source, r.loaded.file);
    const workdir = prepareWorkspace(flow, r.loaded.file);
    const runId = newRunId(this.now());
    const { events } = await this.store.createRun(rerunOf(runId, r, request.fromPhase), this.owner, this.now());
    events.forEach((e) => this.emit(e));
    const budget = flow.budget ? { budget: { limit: flow.budget, spentBefore: { usd: 0, tokens: 0 } } } : {};
    // A new run: no saved conversation to continue; the phases it starts with get the resumed-run notice (the workspace may hold partial work).
    const fresh = new Set(flow.phases.map((p) => p.id));
    return this.execute({ runId, runAttempt: 1, flow, workdir, hashes: r.hashes, inputs: r.inputs, complete: r.complete, priorAttempts: new Map(), notices: r.notices, freshTranscripts: fresh, ...budget });
  }

  /** Submits a run for a worker (`run --queue`, SPEC §7), validated as startRun validates; nothing runs here. */
  async enqueueRun(request: StartRequest): Promise<RunRecord> {
    const loaded = loadFlow(request.flowFile);
    const inputs = resolveInputs(loaded.flow, request.inputs ?? {});
    await assertBudgetPriced(loaded.flow, loaded.source, loaded.file);
    const { run, events } = await this.store.enqueueRun(newRunOf(newRunId(this.now()), loaded, inputs, hashesOf(loaded.flow)), this.now());
    events.forEach((e) => this.emit(e));
    return run;
  }

  /**
   * Submits a resume for a worker (`resume --queue`), refused as resumeRun refuses; the
   * worker runs the flow resumePlan finds now (the file as edited, else the saved one).
   */
  async enqueueResume(request: ResumeRequest): Promise<RunRecord> {
    if (request.budgetUsd !== undefined) {
      throw new WaymarkError('USAGE', '--budget-usd cannot be passed to a queued resume yet: raise `budget.usd` in the flow file and resume with --queue, or resume here with --budget-usd');
    }
    const r = await this.resumePlan(request);
    const { run, events } = await this.store.enqueueResume(request.runId, { restartPhase: request.restartPhase ?? null, flowSource: r.loaded.source }, this.now());
    events.forEach((e) => this.emit(e));
    return run;
  }

  /**
   * Executes a run this engine's owner claimed from the queue (store.claimQueued), from
   * the definition stored with it, its workspace under `workspaceRoot` (queued-runs.ts):
   * attempt 1 of a new run, or the next attempt of a resumed or re-queued one, reusing
   * its completed phases. A run that cannot start is recorded `failed`.
   */
  async startClaimed(claim: ClaimedRun, workspaceRoot: string): Promise<RunHandle> {
    const { run } = claim;
    let prepared: { r: ResumeComputation; workdir: string; started: RunRecord; limit: Budget | undefined };
    try {
      const r = await computeResume(this.store, run, claim.restartPhase ?? undefined, claimedFlow(claim, workspaceRoot));
      const limit = await this.attemptBudget(r, undefined);
      const workdir = prepareWorkspace(r.loaded.flow, r.loaded.file);
      const { run: started, events } = await this.store.beginAttempt(run.id, attemptOf(r, run.flowFile, claim.restartPhase, limit), this.owner, this.now(), this.isOwnerAlive);
      events.forEach((e) => this.emit(e));
      prepared = { r: { ...r, priorAttempts: withTriesBefore(r.priorAttempts, events) }, workdir, started, limit };
    } catch (err) {
      const { error, events } = await failClaimed(this.store, this.owner, claim, err, this.now());
      events.forEach((e) => this.emit(e));
      return { runId: run.id, done: Promise.resolve({ runId: run.id, status: 'failed', error: this.redactor.deep(error) }) };
    }
    const { r, workdir, started, limit } = prepared;
    const { complete, priorAttempts, freshTranscripts, inputs, hashes } = r;
    // A first attempt is no re-run: no resumed-run notices. A dead worker's groups on this host are stopped first.
    const notices = run.attempt === 0 ? new Map() : r.notices;
    const ready = this.processes.stopRun(run.id);
    const budget = limit ? { budget: { limit, spentBefore: spentBy(run) } } : {};
    return this.execute({ runId: run.id, runAttempt: started.attempt, flow: r.loaded.flow, workdir, hashes, inputs, complete, priorAttempts, notices, freshTranscripts, ready, ...budget });
  }

  /**
   * Records a decision on an approval phase, durably, then lets the run go on: in this
   * process if it executes the run, else (a `waiting` run) through the store, continuing
   * an approved run here like `resumeRun` (decisions.ts). Resolves with the run's handle.
   */
  decide(input: DecisionInput): Promise<RunHandle> {
    return decide({ store: this.store, now: this.now, active: (runId) => this.active.get(runId), emit: (e) => this.emit(e), resume: (runId) => this.resumeRun({ runId }) }, input);
  }

  /** Cancels a run this process is executing; false when it is not running here. */
  cancel(runId: string): boolean {
    const run = this.active.get(runId);
    if (!run) return false;
    run.controller.abort(CANCEL_REASON());
    return true;
  }

  /**
   * Cancels a run no process executes — queued, or waiting for a person — through the
   * store; its end is durable, then emitted. False when it had already ended; RUN_OWNED
   * when another process executes it.
   */
  async cancelIdle(runId: string): Promise<boolean> {
    const events = await this.store.cancelIdle(runId, this.now());
    events.forEach((e) => this.emit(e));
    return events.length > 0;
  }

  isActive(runId: string): boolean {
    return this.active.has(runId);
  }

  /** Stops every run this process executes; each is recorded `interrupted`. */
  async shutdown(): Promise<void> {
    const runs = [...this.active.values()];
    for (const run of runs) run.controller.abort(SHUTDOWN_REASON());
    await Promise.all(runs.map((r) => r.done));
  }

  private execute(spec: ExecutionSpec): RunHandle {
    const execution = executeRun(
      {
        store: this.store,
        owner: this.owner,
        kinds: this.kinds,
        env: this.currentEnv(),
        sandbox: this.sandbox,
        processes: this.processes,
        now: this.now,
        heartbeatMs: this.heartbeatMs,
        ...this.storeTiming,
        emit: (e: RunEvent, r: Redactor) => this.emit(e, r),
        release: (runId) => this.active.delete(runId),
      },
      spec,
    );
    this.active.set(spec.runId, execution);
    return { runId: spec.runId, done: execution.done };
  }

  private currentEnv(): NodeJS.ProcessEnv {
    return typeof this.env === 'function' ? this.env() : this.env;
  }

  private emit(event: RunEvent, redactor: Redactor = this.redactor): void {
    this.listeners.emit(redactor.deep(event));
  }
}

/**
 * Tries each phase had before this attempt: those of the phases in the run's last plan,
 * plus the ones the store reports for phases that come back into the plan after being
 * dropped (`run.started.triesBefore`), so a restored phase's next try is not "try 1" again.
 */
function withTriesBefore(prior: Map<string, number>, events: readonly PersistedEvent[]): Map<string, number> {
  const started = events.find((e) => e.type === 'run.started');
  const back = started?.type === 'run.started' ? started.triesBefore : undefined;
  if (!back) return prior;
  const merged = new Map(prior);
  for (const [id, tries] of Object.entries(back)) merged.set(id, Math.max(tries, merged.get(id) ?? 0));
  return merged;
}
