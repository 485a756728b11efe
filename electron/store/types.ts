/**
 * The checkpoint store: one interface, a SQLite implementation and an in-memory one,
 * held to the same behaviour by one conformance suite (conformance.ts).
 *
 * Every write is a `commit` of facts: one transaction applies them to the tables and
 * appends them to the run's event log with consecutive `seq`s. Methods are synchronous
 * on purpose: a fact is durable when `commit` returns, and only then is it emitted.
 */
import type { PersistedEvent, RunFact, RunStartedEvent } from '../../shared/events';
import type { AttemptRecord, PhaseRecord, PhaseResult, RunRecord, TranscriptEntry } from '../../shared/records';

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
  start: Omit<RunStartedEvent, 'type' | 'attempt' | 'resumed'>;
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

export interface CheckpointStore {
  /** Creates a run owned by `owner` with attempt 1 and its `run.started` event. */
  createRun(init: NewRun, owner: Owner, now: number): RunStart;
  /**
   * Starts a new attempt of a failed, interrupted or cancelled run and takes its lease.
   * Throws RUN_NOT_FOUND, RUN_NOT_RESUMABLE, or RUN_OWNED when a live process holds it.
   */
  beginAttempt(runId: string, init: NewAttempt, owner: Owner, now: number, isAlive: OwnerProbe): RunStart;
  /** Applies facts atomically; throws LEASE_LOST when `owner` no longer owns the run. */
  commit(runId: string, owner: Owner, facts: RunFact[], now: number): PersistedEvent[];
  /** Refreshes the lease; false when the run is no longer owned by `owner`. */
  heartbeat(runId: string, owner: Owner, now: number): boolean;
  /**
   * Marks `running` runs whose owner is gone as `interrupted` (their running phases
   * too). An owner is gone when its pid is dead or its heartbeat is older than `staleMs`.
   * Their process rows stay: the caller stops those groups, then forgets them.
   */
  reapOrphans(isAlive: OwnerProbe, now: number, staleMs: number): PersistedEvent[];

  /**
   * Records a phase's process group; replaces a row with the same run, host and pgid.
   * Throws RUN_NOT_FOUND. These rows are bookkeeping written mid-phase: behind another
   * process's lock they may fail quickly rather than wait out the busy timeout.
   */
  recordProcess(process: PhaseProcess): void;
  /** Deletes that row, if any (may fail quickly like recordProcess). */
  forgetProcess(runId: string, host: string, pgid: number): void;
  /** The run's recorded process groups, oldest first. */
  processesOf(runId: string): PhaseProcess[];
  /**
   * Groups recorded on `host` by runs that are no longer `running` (their owner ended
   * or was reaped): the ones a dead owner may have left behind. Oldest first.
   */
  strayProcesses(host: string): PhaseProcess[];

  getRun(runId: string): RunRecord | undefined;
  /** Newest first. */
  listRuns(limit: number): RunRecord[];
  getAttempts(runId: string): AttemptRecord[];
  /** The run's phases in dependency order, with saved outputs. */
  getPhases(runId: string): PhaseRecord[];
  /** Saved successes, verified; throws CHECKPOINT_CORRUPT naming run and phase. */
  getPhaseResults(runId: string, skipVerify?: ReadonlySet<string>): Map<string, PhaseResult>;
  readTranscript(runId: string, phaseId: string, fromIndex: number, limit: number): TranscriptEntry[];
  eventsSince(runId: string, afterSeq: number, limit: number): PersistedEvent[];
  /** Runs touched after `since` (ms epoch): how other processes notice CLI activity. */
  runsUpdatedSince(since: number): { id: string; lastSeq: number; updatedAt: number }[];
  close(): void;
}
