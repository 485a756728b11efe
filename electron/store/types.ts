/**
 * The checkpoint store: one interface, a SQLite implementation and an in-memory one,
 * held to the same behaviour by one conformance suite (conformance.ts).
 *
 * Every write is a `commit` of facts: one transaction applies them to the tables and
 * appends them to the run's event log with consecutive `seq`s. Every method is
 * asynchronous: a fact is durable when its `commit` resolves, and only then is it
 * emitted (SPEC §1).
 */
import type { ApprovalDecidedEvent, PersistedEvent, RunFact, RunStartedEvent } from '../../shared/events';
import type { ApprovalDecision, AttemptRecord, PhaseRecord, PhaseResult, RerunOrigin, RunRecord, TranscriptEntry, TryRecord } from '../../shared/records';
import type { LogRange, LogStream, TryLogPage } from '../../shared/log/phase-log';
import type { RunsCursor } from '../../shared/runs-page';
import type { RunStatus } from '../../shared/status';

/** Identity of a process that may own runs. */
export interface Owner {
  id: string;
  pid: number;
  /** Machine it runs on (os.hostname()): its pid means something only there. */
  host: string;
}

/**
 * Is the owner process `pid` on `host` alive? `host` is null for owners recorded before
 * hosts were (one machine then). An implementation that cannot tell (another host)
 * answers true, so that owner expires only when its heartbeat goes stale.
 */
export type OwnerProbe = (pid: number, host: string | null) => boolean;

/**
 * A process group a phase started (SPEC §4). Recorded as soon as it is spawned and
 * forgotten when it ends, so a row that outlives its owner names a group to stop.
 */
export interface PhaseProcess {
  runId: string;
  phaseId: string;
  /** The phase's try that started it. */
  attempt: number;
  host: string;
  /** Process group id: the pid of its leader. */
  pgid: number;
  /** Opaque identity of the leader's start, to tell a reused pid apart; null where unknown. */
  startTime: string | null;
  startedAt: number;
}

export interface NewRun {
  id: string;
  flowName: string;
  flowFile: string | null;
  flowSource: string;
  inputs: Record<string, string>;
  /**
   * `start.reused`: phases the first attempt reuses, only for a rerun: their saved results
   * are copied from `rerunOf.runId` when the run is created (rerun-rules.ts).
   */
  start: Omit<RunStartedEvent, 'type' | 'attempt' | 'resumed'>;
  /** Set for "run again from a phase": the run (and phase) this one came from. */
  rerunOf?: RerunOrigin;
}

export interface NewAttempt {
  flowName: string;
  flowFile: string | null;
  flowSource: string;
  restartPhase: string | null;
  start: Omit<RunStartedEvent, 'type' | 'attempt' | 'resumed'>;
}

export interface RunStart {
  run: RunRecord;
  events: PersistedEvent[];
}

/** A resume submitted for a worker (`waymark resume --queue`). */
export interface QueuedResume {
  restartPhase: string | null;
  /** The flow text to resume with (the file as it is now); null: its last attempt's. */
  flowSource: string | null;
}

/** A decision on an approval phase of a `waiting` run (`decide`). */
export type DecisionRequest = Pick<ApprovalDecidedEvent, 'phaseId' | 'decision' | 'by' | 'comment'>;

/** A queued run a worker has claimed: `running`, owned by the claimer, its attempt not begun. */
export interface ClaimedRun {
  run: RunRecord;
  /**
   * The definition to execute: what was submitted with it, else its last attempt's;
   * null when neither was saved (the worker then fails the run).
   */
  flowSource: string | null;
  restartPhase: string | null;
}

export interface CheckpointStore {
  /**
   * Creates a run owned by `owner` with attempt 1 and its `run.started` event. A rerun
   * (`init.rerunOf`) starts with the reused phases' results copied from the run it came
   * from, in the same transaction (rerun-rules.ts).
   */
  createRun(init: NewRun, owner: Owner, now: number): Promise<RunStart>;
  /**
   * Starts a new attempt of a failed, interrupted or cancelled run and takes its lease;
   * or of a run `owner` claimed from the queue (claimQueued): its first attempt (not
   * `resumed`) or its next one. Throws RUN_NOT_FOUND, RUN_NOT_RESUMABLE, or RUN_OWNED
   * when a live process holds it.
   */
  beginAttempt(runId: string, init: NewAttempt, owner: Owner, now: number, isAlive: OwnerProbe): Promise<RunStart>;
  /**
   * Applies facts atomically; rejects with LEASE_LOST when `owner` no longer owns the
   * run. Resolves only once the facts are durable: callers emit them after that.
   * Commits of one run resolve in the order they were made.
   */
  commit(runId: string, owner: Owner, facts: RunFact[], now: number): Promise<PersistedEvent[]>;
  /** Refreshes the lease; false when the run is no longer owned by `owner`. */
  heartbeat(runId: string, owner: Owner, now: number): Promise<boolean>;
  /**
   * Optional: heartbeats the lease every `everyMs` without the caller's event loop, so
   * long synchronous work on the caller's thread cannot make a live owner look dead
   * (SQLite: on its writer thread, stamped with that thread's clock). Calls `onLost`
   * once, and stops, when the run is no longer owned by `owner`; a beat that fails
   * (database locked) is skipped. Returns the function that stops it. Where absent, the
   * caller calls `heartbeat` on its own timer.
   */
  keepAlive?(runId: string, owner: Owner, everyMs: number, onLost: () => void): () => void;
  /**
   * Marks `running` runs whose owner is gone as `interrupted` (their running phases
   * too). An owner is gone when its pid is dead or its heartbeat is older than `staleMs`.
   * Their process rows stay: the caller stops those groups, then forgets them.
   */
  reapOrphans(isAlive: OwnerProbe, now: number, staleMs: number): Promise<PersistedEvent[]>;

  /*
   * The queue (SPEC §7). A queued run has no owner; `claimQueued` hands each to exactly
   * one worker, which then calls `beginAttempt`. When `reapOrphans` reaps a run a worker
   * had claimed, it re-queues it (`run.queued` with `requeues`), at most MAX_REQUEUES
   * times (rules.ts); then the run stays `interrupted` with the reason in its error.
   */
  /** Creates a `queued` run (attempt 0, no owner) that will run `init.flowSource`; its `run.queued` event. */
  enqueueRun(init: NewRun, now: number): Promise<RunStart>;
  /**
   * Queues a failed, interrupted or cancelled run for a worker to resume. Throws
   * RUN_NOT_FOUND, RUN_NOT_RESUMABLE (queued and succeeded runs too), or RUN_OWNED for a
   * `running` run (its owner may be gone: reap first).
   */
  enqueueResume(runId: string, resume: QueuedResume, now: number): Promise<RunStart>;
  /**
   * Atomically takes the oldest queued run: it becomes `running`, owned by `owner`, with
   * a fresh heartbeat. Never hands one run to two claimers, in this process or any other.
   * Undefined when nothing is queued.
   */
  claimQueued(owner: Owner, now: number): Promise<ClaimedRun | undefined>;

  /**
   * Records a decision on an approval phase of a `waiting` run, which no process owns
   * (decide-rules.ts): in one transaction holding the run, checks that the phase waits
   * for a decision and appends `approval.decided` and the phase's end (approved: its
   * success, output = the comment, saved for resume; rejected: its failure and the
   * run's, `failed`). Of two decisions racing, one is recorded; the other is refused
   * with APPROVAL_NOT_WAITING naming who decided. Also throws RUN_NOT_FOUND, USAGE (no
   * such phase) and RUN_OWNED (the run still runs: decide in its process).
   */
  decide(runId: string, request: DecisionRequest, now: number): Promise<PersistedEvent[]>;

  /**
   * Cancels a run no process executes: a `queued` one (no worker takes it then) or a
   * `waiting` one (its waiting phases end `interrupted`). In one transaction holding the
   * run (cancel-rules.ts). Resolves to the facts appended; [] when the run had already
   * ended. Throws RUN_NOT_FOUND, or RUN_OWNED for a `running` run.
   */
  cancelIdle(runId: string, now: number): Promise<PersistedEvent[]>;

  /**
   * Records a phase's process group; replaces a row with the same run, host and pgid.
   * Throws RUN_NOT_FOUND. These rows are bookkeeping written mid-phase: behind another
   * process's lock they may fail quickly rather than wait out the busy timeout.
   */
  recordProcess(process: PhaseProcess): Promise<void>;
  /** Deletes that row, if any (may fail quickly like recordProcess). */
  forgetProcess(runId: string, host: string, pgid: number): Promise<void>;
  /** The run's recorded process groups, oldest first. */
  processesOf(runId: string): Promise<PhaseProcess[]>;
  /**
   * Groups recorded on `host` by runs that are no longer `running` (their owner ended
   * or was reaped): the ones a dead owner may have left behind. Oldest first.
   */
  strayProcesses(host: string): Promise<PhaseProcess[]>;

  getRun(runId: string): Promise<RunRecord | undefined>;
  /**
   * Newest first (createdAt descending, ties by id descending: shared/runs-page.ts), at
   * most `limit` (Number.MAX_SAFE_INTEGER for all); only runs in `status` when given;
   * only runs listed after `before` when given (the next page). Served by an index on
   * created_at, so a page costs the same at any depth.
   */
  listRuns(limit: number, status?: RunStatus, before?: RunsCursor): Promise<RunRecord[]>;
  getAttempts(runId: string): Promise<AttemptRecord[]>;
  /** The run's phases in dependency order, with saved outputs. */
  getPhases(runId: string): Promise<PhaseRecord[]>;
  /** Saved successes, verified; throws CHECKPOINT_CORRUPT naming run and phase. */
  getPhaseResults(runId: string, skipVerify?: ReadonlySet<string>): Promise<Map<string, PhaseResult>>;
  /**
   * Every try of one phase (or, without `phaseId`, of every phase of the run, the ones
   * out of the current plan too), by phase id then try number: the history of SPEC §5.
   * A try keeps its status, error, timings, tails, command line, usage, decision, and the
   * output it produced when it succeeded, also after a later success replaced it.
   */
  getTries(runId: string, phaseId?: string): Promise<TryRecord[]>;
  /** Every decision on the run's approval phases, oldest first (the approvals history). */
  getDecisions(runId: string): Promise<ApprovalDecision[]>;
  readTranscript(runId: string, phaseId: string, fromIndex: number, limit: number): Promise<TranscriptEntry[]>;
  /**
   * A page of one stream of a try's saved log (shared/log/phase-log.ts), with the try's
   * command line. Undefined when that try saved none: not a command phase, still
   * running, killed before it ended, or recorded before Waymark kept whole logs.
   */
  readLog(runId: string, phaseId: string, attempt: number, stream: LogStream, range: LogRange): Promise<TryLogPage | undefined>;
  eventsSince(runId: string, afterSeq: number, limit: number): Promise<PersistedEvent[]>;
  /** Runs touched after `since` (ms epoch): how other processes notice CLI activity. */
  runsUpdatedSince(since: number): Promise<{ id: string; lastSeq: number; updatedAt: number }[]>;
  /**
   * Calls `onChange(runId)` soon after any process commits facts of a run, without
   * polling the tables (PostgreSQL: LISTEN/NOTIFY). Absent where the store cannot push
   * changes (SQLite: other processes' commits are found by `runsUpdatedSince`).
   */
  watch?(onChange: (runId: string) => void): Promise<() => Promise<void>>;
  /** Waits for writes in flight, then releases connections and threads. */
  close(): Promise<void>;
}
