/**
 * The interface every phase kind implements (STYLE rule 8). The scheduler knows only
 * this: adding a kind is one module in kinds/, one line in kinds/index.ts and one
 * member of the schema union.
 */
import type { ErrorLocation, WaymarkErrorData } from '../../shared/errors';
import { toErrorData, WaymarkError, type ErrorCode } from '../../shared/errors';
import type { ApprovalDecidedEvent, LiveEvent, RunFact } from '../../shared/events';
import type { Flow, PhaseDef, PhaseKind } from '../../shared/flow/schema';
import type { TryLog } from '../../shared/log/phase-log';
import type { TranscriptEntry } from '../../shared/records';
import type { RunBudget } from './budget';
import type { TrackedProcess } from './child-process';
import type { SandboxSettings } from './sandbox/settings';

/** Given to frontier phases of a resumed run (SPEC §4). */
export interface ResumeNotice {
  /** The phase's last recorded error, when there was one. */
  previousError?: WaymarkErrorData;
}

/**
 * The phase's saved transcript, as far as this try needs it. Entries are appended,
 * never rewritten, so indexes keep growing across tries and attempts of the run.
 */
export interface PhaseTranscript {
  /**
   * The saved conversation a kind may continue: the entries since the last `system`
   * entry. Empty when there is none, on --restart-phase, or when the phase's definition
   * changed since it was saved.
   */
  continueFrom: readonly TranscriptEntry[];
  /** Index of the next entry this try appends. */
  nextIndex: number;
}

export interface PhaseContext<P extends PhaseDef = PhaseDef> {
  runId: string;
  phase: P;
  flow: Flow;
  /** This try of the phase, 1-based across the run. */
  attempt: number;
  inputs: Readonly<Record<string, string>>;
  /** Saved outputs of phases that are complete, by id. */
  outputs: ReadonlyMap<string, string>;
  /** The run's workspace: file tools and commands stay inside it. */
  workdir: string;
  /** Aborts on cancellation, shutdown or the phase timeout. */
  signal: AbortSignal;
  /** Set on the frontier phases of a resumed run. */
  resumeNotice: ResumeNotice | null;
  /** Transcript saved by earlier tries, for mid-phase continuation. */
  transcript: PhaseTranscript;
  /** Environment the phase may see (provider keys are resolved by the kind, not passed on). */
  env: Readonly<NodeJS.ProcessEnv>;
  /** What sandboxed commands must not see (run_command; `command` phases with `sandbox: true`). */
  sandbox: SandboxSettings;
  /** Streams something that is not stored (token deltas, log chunks). */
  emit(event: LiveEvent): void;
  /**
   * Records facts of this phase (transcript steps); resolves once they are durable, or
   * once a store failure was reported (the run goes on; they are retried in order).
   */
  record(facts: RunFact[]): Promise<void>;
  /**
   * Records a process group this phase just spawned (`pgid`: its leader's pid) durably
   * (`recorded`), so that if this process dies, the next one stops the group before the
   * phase runs again (SPEC §4). Call `forget` once the group has ended.
   */
  trackProcess(pgid: number): TrackedProcess;
  /**
   * Approval phases: records `phase.waiting` with `prompt` (what the reviewer reads) and
   * parks the phase until a person decides. It is parked from this call on, so a
   * decision that follows the event is never refused as early. A parked phase holds no
   * `max_parallel` slot; when every running phase is parked and nothing else can start,
   * the run ends (`waiting`, or `failed` when a required phase failed) without a
   * decision. Resolves with the decision once `approval.decided` is durable; rejects when
   * the phase's signal aborts (cancel, shutdown) or the run ended without a decision
   * (the scheduler ignores that try then).
   */
  awaitDecision(prompt: string): Promise<Decision>;
  /**
   * The run's budget (budget.ts), shared by its phases; absent when the run has none.
   * Kinds that call a model ask it before each call: it throws PhaseWaiting when spent.
   */
  budget?: RunBudget;
}

/** A reviewer's decision on an approval phase, as `approval.decided` records it. */
export type Decision = Pick<ApprovalDecidedEvent, 'decision' | 'by' | 'comment'>;

export interface PhaseOutcome {
  output: string;
  exitCode?: number;
  stdoutTail?: string;
  stderrTail?: string;
  /** A command try's whole log, saved with its end (PhaseFinishedEvent.log). */
  log?: TryLog;
}

export interface PhaseKindModule<K extends PhaseKind = PhaseKind> {
  kind: K;
  execute(ctx: PhaseContext<Extract<PhaseDef, { kind: K }>>): Promise<PhaseOutcome>;
  /**
   * The resumed-run hook: called for frontier phases of a resumed run before they
   * execute. A kind that talks to a model appends the notice to its system prompt;
   * kinds without one leave it out.
   */
  applyResumeNotice?(phase: Extract<PhaseDef, { kind: K }>, notice: ResumeNotice): Extract<PhaseDef, { kind: K }>;
}

/** A phase failure carrying what the inspector shows about it. */
export class PhaseFailure extends WaymarkError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly details: { exitCode?: number; stdoutTail?: string; stderrTail?: string; log?: TryLog } = {},
    options: { retryable?: boolean; cause?: unknown; where?: ErrorLocation } = {},
  ) {
    super(code, message, options);
  }
}

/** `err` as a PhaseFailure that also carries `details`: its code, message, place and retryability kept. */
export function withDetails(err: unknown, details: PhaseFailure['details']): PhaseFailure {
  const data = toErrorData(err, 'PHASE_FAILED');
  const kept = err instanceof PhaseFailure ? err.details : {};
  return new PhaseFailure(data.code, data.message, { ...kept, ...details }, { retryable: data.retryable === true, cause: err, ...(data.where ? { where: data.where } : {}) });
}

/**
 * Thrown by a kind when its phase must wait for a person rather than end (SPEC §3):
 * `budget` when the run's budget is spent before the next model call (the kind saved its
 * transcript first). The scheduler records `phase.waiting` and the run ends `waiting`
 * once nothing else can run. Approval phases wait through `PhaseContext` instead.
 */
export class PhaseWaiting extends WaymarkError {
  constructor(
    readonly reason: 'budget',
    message: string,
  ) {
    super('BUDGET_REACHED', message);
  }
}
