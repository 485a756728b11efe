/**
 * Runs one attempt of a flow as a DAG. Ready phases start in declaration order, up to
 * `max_parallel` at once. Each state change is one durable step: a phase's end and the
 * starts it unblocks are committed together, then emitted, then acted on.
 *
 * Failure rules (SPEC §3): a required phase that fails stops new phases from starting;
 * phases already running finish and are saved; then the run fails. An optional phase
 * that fails does not fail the run; its dependents are skipped. Aborting the run signal
 * (cancel, shutdown, lost lease) stops running phases, and is never retried or excused
 * by `optional`.
 *
 * Waiting for a person (SPEC §3): a kind that throws `PhaseWaiting` (a spent budget)
 * ends its try `waiting` (`phase.waiting`, no `phase.finished`); an approval phase parks
 * in `awaitDecision` and frees its `max_parallel` slot. Dependents of a waiting phase do
 * not start; everything else goes on. When nothing else can run, the run ends `waiting`
 * with what it waits for; a required failure wins over waiting (the run fails, parked
 * approvals are closed `interrupted`: a resume asks again).
 */
import { WaymarkError, toErrorData, type WaymarkErrorData } from '../../shared/errors';
import type { BudgetState, LiveEvent, PhaseFinishedEvent, RunFact, WaitingFor } from '../../shared/events';
import { dependenciesOf, type Flow, type PhaseDef } from '../../shared/flow/schema';
import { LiveGate } from './live-gate';
import { Parking } from './parking';
import { ReadyQueue } from './ready-queue';
import type { RunBudget } from './budget';
import type { KindRegistry } from './kinds';
import type { Decision, PhaseContext, PhaseTranscript, ResumeNotice } from './phase-kind';
import { outputsNeeded, runTry, type TryResult } from './phase-try';
import { backoffDelay, isPhaseRetryable, retryPolicy, sleep } from './retry';
import type { TrackedProcess } from './child-process';
import type { SandboxSettings } from './sandbox/settings';

export interface ScheduleInput {
  runId: string;
  runAttempt: number;
  /** The flow, phases sorted dependencies-first. */
  flow: Flow;
  defHashes: ReadonlyMap<string, string>;
  inputs: Readonly<Record<string, string>>;
  /** The completed set: outputs reused without running the phase. */
  complete: ReadonlyMap<string, string>;
  /** Tries each phase has had in earlier attempts. */
  priorAttempts: ReadonlyMap<string, number>;
  notices: ReadonlyMap<string, ResumeNotice>;
  /** Read at the start of every try, so retries see what earlier tries appended. */
  transcript(phaseId: string): Promise<PhaseTranscript>;
  workdir: string;
  kinds: KindRegistry;
  signal: AbortSignal;
  env: Readonly<NodeJS.ProcessEnv>;
  sandbox: SandboxSettings;
  /**
   * Commits facts, then emits them. Never throws: store failures are reported by the
   * caller. `onSaved` runs synchronously right after they were emitted (or their
   * failure reported), before anything written later is emitted.
   */
  durable(facts: RunFact[], onSaved?: () => void): Promise<void>;
  /** Durably records a process group a phase's try spawned; the result forgets it (PhaseContext.trackProcess). */
  trackProcess(phaseId: string, attempt: number, pgid: number): TrackedProcess;
  emit(event: LiveEvent): void;
  now(): number;
  /**
   * The run's budget and spending, asked when the run ends `waiting` because a phase
   * waits for budget (`waitingFor.budget`); absent or null when the run has no budget.
   */
  budgetState?: () => BudgetState | null;
  /** The run's budget, handed to every phase (PhaseContext.budget); absent when it has none. */
  budget?: RunBudget;
}

export type ScheduleStatus = 'succeeded' | 'failed' | 'interrupted' | 'cancelled' | 'waiting';

export interface ScheduleResult {
  status: ScheduleStatus;
  error?: WaymarkErrorData;
  /** Set when `status` is `waiting`. */
  waitingFor?: WaitingFor;
}

/** `waiting`: parked for a decision (approval), or its try ended waiting for budget. */
type PhaseState = 'pending' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'skipped' | 'interrupted';

export function schedule(input: ScheduleInput): Promise<ScheduleResult> {
  return new FlowScheduler(input).run();
}

export class FlowScheduler {
  private readonly state = new Map<string, PhaseState>();
  private readonly outputs: Map<string, string>;
  private readonly phases: ReadonlyMap<string, PhaseDef>;
  private readonly startedAt = new Map<string, number>();
  private readonly attempts: Map<string, number>;
  /** Phases each phase unblocks. */
  private readonly dependents = new Map<string, string[]>();
  /** Dependencies of each pending phase that have not succeeded yet. */
  private readonly waitingOn = new Map<string, number>();
  /** Pending phases whose dependencies all succeeded, in declaration (sorted) order. */
  private readonly ready: ReadyQueue;
  /** Phases started and not ended, parked ones included. */
  private running = 0;
  /** Approval phases waiting for a decision; they hold no max_parallel slot. */
  private readonly parked = new Parking();
  private failure: WaymarkErrorData | undefined;
  /** The result is settled: tries that end later (released parked phases) are ignored. */
  private closed = false;
  private resolveRun!: (result: ScheduleResult) => void;

  constructor(private readonly input: ScheduleInput) {
    this.outputs = new Map(input.complete);
    this.attempts = new Map(input.priorAttempts);
    this.phases = new Map(input.flow.phases.map((p) => [p.id, p]));
    this.ready = new ReadyQueue(input.flow.phases.map((p) => p.id));
    for (const phase of input.flow.phases) {
      const done = input.complete.has(phase.id);
      this.state.set(phase.id, done ? 'succeeded' : 'pending');
      for (const dep of dependenciesOf(phase)) this.dependents.set(dep, [...(this.dependents.get(dep) ?? []), phase.id]);
      if (done) continue;
      const waiting = dependenciesOf(phase).filter((d) => !input.complete.has(d)).length;
      this.waitingOn.set(phase.id, waiting);
      if (waiting === 0) this.ready.add(phase.id);
    }
  }

  run(): Promise<ScheduleResult> {
    return new Promise((resolve) => {
      this.resolveRun = resolve;
      this.step([]);
    });
  }

  /**
   * Hands a decision to the parked approval phase `phaseId`: commits `approval.decided`
   * (durable, or its failure reported, before the phase goes on), then unparks it.
   * False when that phase is not parked here (not an approval, not waiting yet, or
   * already decided): nothing is recorded.
   */
  async decide(phaseId: string, decision: Decision): Promise<boolean> {
    if (this.closed) return false;
    const parked = this.parked.take(phaseId);
    if (!parked) return false;
    this.state.set(phaseId, 'running');
    await this.input.durable([{ type: 'approval.decided', phaseId, attempt: parked.attempt, ...decision }]);
    parked.resolve(decision);
    return true;
  }

  /** True while `phaseId` is parked here, waiting for a decision. */
  isParked(phaseId: string): boolean {
    return this.parked.has(phaseId) && !this.closed;
  }

  /** Commits `facts` with every start they unblock, launches those, or ends the run. */
  private step(facts: RunFact[]): void {
    const starts = this.admit(facts);
    // Not awaited: the starts below overlap the commit. Events are emitted only once it
    // is durable (a started phase's own live events wait for its phase.started: launch),
    // and a resume reuses only what is durable, so nothing is shown or reused early.
    const gates = starts.map(() => new LiveGate(this.input.emit));
    if (facts.length > 0) void this.input.durable(facts, () => gates.forEach((gate) => gate.open()));
    starts.forEach((id, i) => this.launch(id, gates[i] as LiveGate));
    if (this.running === this.parked.size) this.finish();
  }

  /**
   * Nothing is running but parked approvals: the run ends. Waiting, they stay `waiting`
   * in the store (no phase.finished); otherwise (a required failure) they are closed
   * `interrupted`, and a resume asks again. Either way their waits are released.
   */
  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    const result = this.result();
    if (this.parked.size > 0 && result.status !== 'waiting') {
      const at = this.input.now();
      const facts: RunFact[] = this.parked.entries().map(([phaseId, attempt]) => {
        this.state.set(phaseId, 'interrupted');
        const error = { code: 'INTERRUPTED', message: `closed without a decision: the run ${result.status}; a resume asks again` } as const;
        return { type: 'phase.finished', phaseId, attempt, status: 'interrupted', durationMs: at - (this.startedAt.get(phaseId) ?? at), error };
      });
      void this.input.durable(facts);
    }
    // Their tries are ignored from here on (closed): the kinds' waits reject.
    this.parked.releaseAll(new WaymarkError('INTERRUPTED', `the run ended ${result.status} without a decision`));
    this.resolveRun(result);
  }

  /** An internal error: the run fails at once (the outcome is still recorded by the caller). */
  private crash(err: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.resolveRun({ status: 'failed', error: toErrorData(err, 'INTERNAL') });
  }

  private admit(facts: RunFact[]): string[] {
    if (this.input.signal.aborted || this.failure) return [];
    const starts: string[] = [];
    while (this.running - this.parked.size < this.input.flow.maxParallel) {
      const id = this.ready.next();
      if (id === undefined) break;
      this.state.set(id, 'running');
      this.running += 1;
      facts.push(this.started(id));
      starts.push(id);
    }
    return starts;
  }

  /** A phase succeeded: its dependents may become ready. */
  private unblock(phaseId: string): void {
    for (const id of this.dependents.get(phaseId) ?? []) {
      const waiting = (this.waitingOn.get(id) ?? 0) - 1;
      this.waitingOn.set(id, waiting);
      if (waiting === 0 && this.state.get(id) === 'pending') this.ready.add(id);
    }
  }

  /** An optional phase failed: everything that depends on it, directly or not, is skipped. */
  private skipDependents(phaseId: string, facts: RunFact[]): void {
    for (const id of this.dependents.get(phaseId) ?? []) {
      if (this.state.get(id) !== 'pending') continue;
      this.state.set(id, 'skipped');
      facts.push({ type: 'phase.finished', phaseId: id, attempt: 0, status: 'skipped', durationMs: 0, error: { code: 'PHASE_FAILED', message: `skipped: optional dependency "${phaseId}" did not succeed` } });
      this.skipDependents(id, facts);
    }
  }

  private started(phaseId: string): RunFact {
    const attempt = (this.attempts.get(phaseId) ?? 0) + 1;
    this.attempts.set(phaseId, attempt);
    this.startedAt.set(phaseId, this.input.now());
    return { type: 'phase.started', phaseId, attempt, runAttempt: this.input.runAttempt, defHash: this.input.defHashes.get(phaseId) ?? '' };
  }

  /** Runs the phase's current try; its live events pass `gate`, opened once its phase.started is emitted. */
  private launch(phaseId: string, gate: LiveGate): void {
    const attempt = this.attempts.get(phaseId) as number;
    this.tryPhase(phaseId, attempt, (event) => gate.emit(event))
      .then((result) => this.onTryEnd(phaseId, attempt, result))
      .catch((err: unknown) => this.crash(err));
  }

  private async onTryEnd(phaseId: string, attempt: number, result: TryResult): Promise<void> {
    if (this.closed) return; // a parked phase released when the run ended
    const phase = this.phases.get(phaseId) as PhaseDef;
    const durationMs = this.input.now() - (this.startedAt.get(phaseId) ?? this.input.now());
    const base = { type: 'phase.finished', phaseId, attempt, durationMs } as const;
    if (result.end === 'succeeded') {
      this.state.set(phaseId, 'succeeded');
      this.outputs.set(phaseId, result.outcome.output);
      this.unblock(phaseId);
      return this.end([{ ...base, status: 'succeeded', ...result.outcome }]);
    }
    if (result.end === 'waiting') {
      // The try ends waiting for budget: its dependents stay pending, the rest goes on.
      this.state.set(phaseId, 'waiting');
      return this.end([{ type: 'phase.waiting', phaseId, attempt, reason: 'budget', message: result.message }]);
    }
    const details = result.details;
    if (result.aborted) {
      this.state.set(phaseId, 'interrupted');
      return this.end([{ ...base, status: 'interrupted', ...details }]);
    }
    const policy = retryPolicy(phase.retry, this.input.flow.defaults.retry);
    // An approval is never retried, whatever `defaults.retry` says: a person decided.
    if (phase.kind !== 'approval' && attempt < policy.maxAttempts && isPhaseRetryable(result.error)) {
      const delay = backoffDelay(policy, attempt);
      void this.input.durable([{ ...base, status: 'failed', error: result.error, retryInMs: delay, ...details }]);
      try {
        await sleep(delay, this.input.signal);
      } catch {
        this.state.set(phaseId, 'interrupted'); // run.finished marks it interrupted in the store
        return this.end([]);
      }
      const gate = new LiveGate(this.input.emit);
      void this.input.durable([this.started(phaseId)], () => gate.open());
      return this.launch(phaseId, gate);
    }
    this.state.set(phaseId, 'failed');
    if (!phase.optional) this.failure ??= { ...result.error, where: { ...result.error.where, phaseId } };
    const facts: RunFact[] = [{ ...base, status: 'failed', error: result.error, ...details } satisfies PhaseFinishedEvent];
    if (phase.optional) this.skipDependents(phaseId, facts);
    return this.end(facts);
  }

  private end(facts: RunFact[]): void {
    this.running -= 1;
    this.step(facts);
  }

  /** The phase's current try (phase-try.ts), with this run's signal and context. */
  private tryPhase(phaseId: string, attempt: number, emit: (event: LiveEvent) => void): Promise<TryResult> {
    const { input } = this;
    return runTry({
      phase: this.phases.get(phaseId) as PhaseDef,
      flow: input.flow,
      kinds: input.kinds,
      notice: input.notices.get(phaseId),
      runSignal: input.signal,
      context: (phase, signal) => this.context(phase, attempt, signal, emit),
    });
  }

  private async context(phase: PhaseDef, attempt: number, signal: AbortSignal, emit: (event: LiveEvent) => void): Promise<PhaseContext> {
    const { input } = this;
    const outputs = new Map<string, string>();
    for (const id of outputsNeeded(phase)) {
      const out = this.outputs.get(id);
      if (out !== undefined) outputs.set(id, out);
    }
    return {
      runId: input.runId,
      phase,
      flow: input.flow,
      attempt,
      inputs: input.inputs,
      outputs,
      workdir: input.workdir,
      signal,
      resumeNotice: input.notices.get(phase.id) ?? null,
      transcript: await input.transcript(phase.id),
      env: input.env,
      sandbox: input.sandbox,
      emit,
      record: input.durable,
      trackProcess: (pgid) => input.trackProcess(phase.id, attempt, pgid),
      awaitDecision: (prompt) => this.park(phase.id, attempt, signal, prompt),
      ...(input.budget ? { budget: input.budget } : {}),
    };
  }

  /**
   * Records that an approval phase waits and parks it until `decide` (or its signal
   * aborts, or the run ends). Parked at once, before its `phase.waiting` is even durable:
   * the writer keeps that fact ahead of a decision or run end that follows it.
   */
  private park(phaseId: string, attempt: number, signal: AbortSignal, prompt: string): Promise<Decision> {
    if (this.closed || signal.aborted) return Promise.reject(signal.aborted ? signal.reason : new WaymarkError('INTERRUPTED', 'the run has ended'));
    // Aborted (cancel, shutdown): the phase ends interrupted like any running one.
    const decision = this.parked.park(phaseId, attempt, signal, () => this.state.set(phaseId, 'running'));
    this.state.set(phaseId, 'waiting');
    void this.input.durable([{ type: 'phase.waiting', phaseId, attempt, reason: 'approval', prompt }]);
    this.step([]); // its slot is free: start what is ready, or end the run if nothing can run
    return decision;
  }

  private result(): ScheduleResult {
    const { signal } = this.input;
    if (signal.aborted) {
      const reason = toErrorData(signal.reason, 'INTERRUPTED');
      if (reason.code === 'CANCELLED') return { status: 'cancelled', error: reason };
      return { status: 'interrupted', ...(reason.code === 'INTERRUPTED' ? {} : { error: reason }) };
    }
    if (this.failure) return { status: 'failed', error: this.failure };
    const waiting = this.input.flow.phases.filter((p) => this.state.get(p.id) === 'waiting').map((p) => p.id);
    if (waiting.length > 0) {
      const approvals = waiting.filter((id) => this.parked.has(id));
      const forBudget = approvals.length < waiting.length;
      return { status: 'waiting', waitingFor: { approvals, budget: forBudget ? (this.input.budgetState?.() ?? null) : null } };
    }
    const stuck = [...this.state].find(([, s]) => s === 'pending' || s === 'running');
    if (stuck) return { status: 'failed', error: { code: 'INTERNAL', message: `phase "${stuck[0]}" could not be scheduled` } };
    return { status: 'succeeded' };
  }
}
