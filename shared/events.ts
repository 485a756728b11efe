/**
 * Run events: a discriminated union with a per-run `seq` (STYLE rule 12). Persisted
 * events are facts: the store applies each to its tables in the same transaction that
 * appends it, then the engine emits it. A client loads a snapshot with its `lastSeq`,
 * subscribes, and drops events with `seq <= lastSeq`.
 *
 * How each fact changes a run's snapshot is defined once, in `run-reducer.ts`.
 *
 * Heavy fields (outputs, stream tails, a transcript entry's `content`) travel on the live
 * event but are stored once, in their own tables, never in the event log. Reading the
 * log back (`eventsSince`) joins outputs and tails in again from where they are stored,
 * so replayed events change a snapshot exactly as live ones did; transcript content
 * stays out (read it with `readTranscript`).
 */
import type { WaymarkErrorData } from './errors';
import type { TryLog } from './log/phase-log';
import type { PhaseStatus, RunStatus } from './status';

/**
 * Tokens and cost of one model step, as the provider reported them. `inputTokens` counts
 * every input token, cached ones included; `outputTokens` every output token, reasoning
 * included. The details are parts of those totals, present where the provider reports
 * them (AI SDK usage details).
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Of `inputTokens`: read from the provider's prompt cache (billed at the cached-input price). */
  cachedInputTokens?: number;
  /** Of `inputTokens`: written to the prompt cache (Anthropic; billed at the cache-write price). */
  cacheWriteTokens?: number;
  /** Of `outputTokens`: reasoning ("thinking") tokens. */
  reasoningTokens?: number;
  /**
   * The step's cost in USD at the prices in force when it ran (flow `prices:`, else the
   * catalogue), fixed then: a later price change never rewrites it. `null`: the model
   * has no known price. Absent on steps recorded before Waymark priced steps (unpriced).
   */
  costUsd?: number | null;
}

/** One phase of a run's plan as it stood when the attempt started. */
export interface PlannedPhase {
  id: string;
  kind: string;
  dependsOn: string[];
  defHash: string;
  /** Set on `optional: true` phases: their failure does not fail the run. */
  optional?: true;
}

export type TranscriptRole = 'system' | 'user' | 'assistant' | 'tool' | 'notice';

export interface RunStartedEvent {
  type: 'run.started';
  attempt: number;
  flowName: string;
  phases: PlannedPhase[];
  /** Phases reused from earlier attempts (the completed set). Empty on a first attempt. */
  reused: string[];
  /** Phases that run first: not complete, every dependency complete. */
  frontier: string[];
  resumed: boolean;
  /** The spending limits in force for this attempt (flow `budget:` or raised on resume). */
  budget?: Budget;
  /**
   * Set by the store, never by the caller. Live (and joined back on replay): the saved
   * output of each reused phase, which a client's snapshot may not show (a phase reused
   * now may have been pending, e.g. restarted, when the client loaded it). Omitted on
   * replay for an output a later success has replaced.
   */
  outputs?: Record<string, string>;
  /**
   * Set by the store, never by the caller: tries already recorded of planned phases that
   * were not in the previous plan (dropped by an earlier attempt, now back), so their
   * count goes on from there. Absent when there are none.
   */
  triesBefore?: Record<string, number>;
}

export interface PhaseStartedEvent {
  type: 'phase.started';
  phaseId: string;
  /** 1-based count of tries of this phase across the whole run. */
  attempt: number;
  runAttempt: number;
  defHash: string;
}

export type PhaseEndStatus = Extract<PhaseStatus, 'succeeded' | 'failed' | 'interrupted' | 'skipped'>;

export interface PhaseFinishedEvent {
  type: 'phase.finished';
  phaseId: string;
  /** The try that ended (0 for a phase skipped without running). */
  attempt: number;
  status: PhaseEndStatus;
  durationMs: number;
  error?: WaymarkErrorData;
  /** Set when the phase failed and another try starts after this delay. */
  retryInMs?: number;
  /**
   * When the try ended (ms epoch), when that was before the fact was recorded: a try a
   * crash ended ends at its owner's last heartbeat, not when the crash was found. Absent:
   * it ended when recorded (the event's `at`).
   */
  endedAt?: number;
  exitCode?: number;
  /** Live only: the output of a succeeded phase (stored in the phase result). */
  output?: string;
  /** Live only: last part of the command's streams (stored on the phase attempt). */
  stdoutTail?: string;
  stderrTail?: string;
  /**
   * Store only: a command try's whole streams and command line (shared/log/phase-log.ts),
   * kept in their own table and read with `readLog`; never in the event log, and never
   * on the emitted event (`emittedEvent`).
   */
  log?: TryLog;
}

export interface TranscriptAppendedEvent {
  type: 'transcript.appended';
  phaseId: string;
  /** Position in the phase's transcript, 0-based, across attempts. */
  index: number;
  role: TranscriptRole;
  usage?: Usage;
  /** Live only: the entry itself (stored in the transcript table). */
  content?: unknown;
}

export interface RunFinishedEvent {
  type: 'run.finished';
  attempt: number;
  status: Exclude<RunStatus, 'running' | 'queued'>;
  error?: WaymarkErrorData;
  /** Set when `status` is `waiting`: what a person must do before the run can go on. */
  waitingFor?: WaitingFor;
  /** When the attempt ended, when before the fact was recorded (a crash: the owner's last heartbeat). Absent: the event's `at`. */
  endedAt?: number;
}

/** Why a phase (and its run) waits for a person (SPEC §3). */
export type WaitReason = 'approval' | 'budget';

/** What a waiting run needs: decisions on approval phases, and/or a higher budget. */
export interface WaitingFor {
  /** Approval phases waiting for a decision, in flow order. */
  approvals: string[];
  /** Set when the budget is spent: the limits in force and what the run has spent. */
  budget: BudgetState | null;
}

/** A run's spending limits (flow `budget:`, or raised with `resume --budget-usd`). */
export interface Budget {
  usd?: number;
  tokens?: number;
}

export interface BudgetState {
  limit: Budget;
  spentUsd: number;
  /** Input plus output tokens across all attempts of the run. */
  spentTokens: number;
}

/**
 * A phase waits for a person. `approval`: the approval phase rendered `prompt` for the
 * reviewer and waits for a decision (the try stays open while other phases run; the
 * run ends `waiting` when nothing else can run). `budget`: an agent phase stopped at a
 * step boundary because the run's budget is spent (its transcript is saved; a resume
 * with a higher budget continues it); `message` says what was spent against what.
 */
export interface PhaseWaitingEvent {
  type: 'phase.waiting';
  phaseId: string;
  /** The phase's try that waits. */
  attempt: number;
  reason: WaitReason;
  /** approval: the rendered prompt the reviewer reads. */
  prompt?: string;
  message?: string;
}

/**
 * A reviewer's decision on a waiting approval phase, durable before anything continues.
 * `by` is the OS user name of whoever decided (CLI, app, serve). `comment` is the
 * approval's comment ('' when none), or the rejection's reason.
 */
export interface ApprovalDecidedEvent {
  type: 'approval.decided';
  phaseId: string;
  /** The try of the approval phase that was waiting. */
  attempt: number;
  decision: 'approved' | 'rejected';
  by: string;
  comment: string;
}

/**
 * The run waits for a worker (SPEC §7): submitted with `--queue` (`run` or `resume`), or
 * re-queued after the worker executing it died. Written by the store itself (enqueueRun,
 * enqueueResume, reapOrphans), never passed to `commit`. The run keeps its error (why it
 * stopped, when it did) and loses its owner until a worker claims it.
 */
export interface RunQueuedEvent {
  type: 'run.queued';
  /** The run's attempts so far (0 before its first): the worker starts the next one. */
  attempt: number;
  flowName: string;
  /** On a re-queue after a dead worker: how many times the run has been re-queued. */
  requeues?: number;
}

/** Facts an owner commits (`commit`); the store applies each to its tables. */
export type RunFact = RunStartedEvent | PhaseStartedEvent | PhaseWaitingEvent | ApprovalDecidedEvent | PhaseFinishedEvent | TranscriptAppendedEvent | RunFinishedEvent;
/** Facts only the store writes, on its own transitions of a run. */
export type StoreFact = RunQueuedEvent;
export type RunEventType = (RunFact | StoreFact)['type'];

/** A fact as stored and replayed: numbered per run. */
export type PersistedEvent = (RunFact | StoreFact) & { runId: string; seq: number; at: number };

/** Streaming text from a model; coalesced, never stored. */
export interface PhaseDeltaEvent {
  type: 'phase.delta';
  runId: string;
  phaseId: string;
  text: string;
}

/** A chunk of a running command's stdout/stderr; never stored as events. */
export interface PhaseLogEvent {
  type: 'phase.log';
  runId: string;
  phaseId: string;
  stream: 'stdout' | 'stderr';
  text: string;
  /** The try the chunk belongs to, and when it arrived (ms epoch): the log's times. */
  attempt?: number;
  at?: number;
}

/** The store failed to persist something; the run goes on, and the user must be told. */
export interface StoreFailedEvent {
  type: 'store.failed';
  runId: string;
  message: string;
}

/** Facts that could not be saved earlier are durable now (after a `store.failed`). */
export interface StoreRecoveredEvent {
  type: 'store.recovered';
  runId: string;
  message: string;
}

export type LiveEvent = PhaseDeltaEvent | PhaseLogEvent | StoreFailedEvent | StoreRecoveredEvent;

export type RunEvent = PersistedEvent | LiveEvent;

export function isPersisted(event: RunEvent): event is PersistedEvent {
  return 'seq' in event;
}

/** Strips the live-only heavy fields before an event is written to the event log. */
export function slimEvent<T extends RunFact | StoreFact>(fact: T): T {
  if (fact.type === 'run.started') {
    const { outputs: _o, ...rest } = fact;
    return rest as T;
  }
  if (fact.type === 'phase.finished') {
    const { output: _o, stdoutTail: _s, stderrTail: _e, log: _l, ...rest } = fact;
    return rest as T;
  }
  if (fact.type === 'transcript.appended') {
    const { content: _c, ...rest } = fact;
    return rest as T;
  }
  return fact;
}

/** The event a committed fact becomes: what only the store keeps (a try's log) left out. */
export function emittedEvent<T extends RunFact | StoreFact>(fact: T): T {
  if (fact.type !== 'phase.finished' || fact.log === undefined) return fact;
  const { log: _l, ...rest } = fact;
  return rest as T;
}
