/** Read models of runs and phases, as the store returns them and the API sends them. */
import type { WaymarkErrorData } from './errors';
import type { ApprovalDecidedEvent, Budget, PlannedPhase, TranscriptRole, Usage, WaitingFor, WaitReason } from './events';
import type { PhaseStatus, RunStatus } from './status';
import type { UsageTotals } from './usage';

export interface RunOwner {
  /** Random id of the owning process instance. */
  id: string;
  pid: number;
  /** Machine of the owning process; null when recorded before hosts were. */
  host: string | null;
  heartbeatAt: number;
}

export interface RunRecord {
  id: string;
  flowName: string;
  /** Absolute path of the flow file the run was started from, if any. */
  flowFile: string | null;
  status: RunStatus;
  inputs: Record<string, string>;
  error: WaymarkErrorData | null;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
  /** Current attempt number, 1-based. */
  attempt: number;
  /** Seq of the last persisted event of this run. */
  lastSeq: number;
  owner: RunOwner | null;
  /** Set while the run is `waiting`: what a person must do (`run.finished.waitingFor`). */
  waitingFor: WaitingFor | null;
  /** Tokens and cost across all attempts of the run. */
  usage: UsageTotals;
  /** Set on a run started by "run again from a phase" (`waymark rerun`): where it came from. */
  rerunOf: RerunOrigin | null;
  /**
   * How long the run's ended attempts were active, in ms: each from its start to its end
   * (a crashed attempt ends at its owner's last heartbeat). Time between attempts (waiting
   * for a person, a resume not yet asked for) is not counted: see shared/run-time.ts.
   */
  activeMs: number;
  /** When the attempt in progress started; null while no attempt runs (ended, waiting, queued). */
  attemptStartedAt: number | null;
}

/** The run (and the phase) a run was started from by "run again from a phase". */
export interface RerunOrigin {
  runId: string;
  /** The phase it ran again from: that phase and its descendants ran; the rest was reused. */
  phase: string;
}

export interface AttemptRecord {
  runId: string;
  attempt: number;
  /** The flow file text the attempt ran with. */
  flowSource: string;
  startedAt: number;
  finishedAt: number | null;
  status: RunStatus;
  error: WaymarkErrorData | null;
  pid: number;
  restartPhase: string | null;
  /** Tokens and cost spent in this attempt. */
  usage: UsageTotals;
  /** The spending limits in force for this attempt (`run.started.budget`); null: none. */
  budget: Budget | null;
}

export interface PhaseRecord {
  runId: string;
  phaseId: string;
  /** Index in the dependency-sorted flow of the current attempt. */
  position: number;
  kind: string;
  dependsOn: string[];
  defHash: string;
  status: PhaseStatus;
  /** Tries of this phase across the run. */
  attempts: number;
  error: WaymarkErrorData | null;
  startedAt: number | null;
  finishedAt: number | null;
  exitCode: number | null;
  /** The saved output when the phase succeeded. */
  output: string | null;
  stdoutTail: string | null;
  stderrTail: string | null;
  /** Set while the phase is `waiting` (`phase.waiting`); cleared when it starts or ends. */
  waiting: PhaseWaiting | null;
  /** The latest decision on an approval phase (every one: CheckpointStore.getDecisions). */
  decision: ApprovalDecision | null;
  /** Tokens and cost of every try of the phase, across attempts. */
  usage: UsageTotals;
}

/**
 * One try of a phase (SPEC §5 History): every try stays, whatever came after it. A try
 * belongs to the run attempt that started it (`runAttempt`); a phase may have several
 * tries in one attempt (retries) and none in another (reused).
 */
export interface TryRecord {
  runId: string;
  phaseId: string;
  /** The try's number, 1-based, across the whole run. */
  attempt: number;
  /** The run attempt that started it. */
  runAttempt: number;
  defHash: string;
  /**
   * `running` while it runs; `waiting` while its approval waits in a waiting run; then
   * how it ended (`interrupted` also for a try that a crash ended: see `finishedAt`).
   */
  status: PhaseStatus;
  error: WaymarkErrorData | null;
  startedAt: number;
  /** When it ended; for a try a crash ended, its owner's last heartbeat. */
  finishedAt: number | null;
  exitCode: number | null;
  /** The output it produced, for a try that succeeded (also when a later success replaced it as the saved one). */
  output: string | null;
  /** The last part of each stream of a command try (the whole log: CheckpointStore.readLog). */
  stdoutTail: string | null;
  stderrTail: string | null;
  /** A command try's command line as the shell ran it; null for other kinds and older tries. */
  commandLine: string | null;
  /** Tokens and cost of this try's model steps. */
  usage: UsageTotals;
  /** The decision on this try of an approval phase, if one was made. */
  decision: ApprovalDecision | null;
}

/** Why and since when a phase waits for a person. */
export interface PhaseWaiting {
  reason: WaitReason;
  /** approval: the rendered prompt the reviewer reads. */
  prompt: string | null;
  /** budget: what was spent against what. */
  message: string | null;
  since: number;
}

/** The longest reviewer comment or rejection reason Waymark accepts, in characters. */
export const MAX_DECISION_TEXT = 10_000;

/** A decision on an approval phase (fact `approval.decided`), as the approvals history keeps it. */
export interface ApprovalDecision {
  phaseId: string;
  /** The try of the phase that was decided. */
  attempt: number;
  decision: ApprovalDecidedEvent['decision'];
  by: string;
  /** The approval's comment ('' when none), or the rejection's reason. */
  comment: string;
  at: number;
}

/** The durable success of a phase: what resume reuses. */
export interface PhaseResult {
  phaseId: string;
  defHash: string;
  output: string;
  attempt: number;
  completedAt: number;
}

export interface TranscriptEntry {
  phaseId: string;
  index: number;
  /** The phase try that wrote it. */
  attempt: number;
  role: TranscriptRole;
  content: unknown;
  usage: Usage | null;
  at: number;
}

export type { PlannedPhase };
