/** Read models of runs and phases, as the store returns them and the API sends them. */
import type { WaymarkErrorData } from './errors';
import type { PlannedPhase, TranscriptRole, Usage } from './events';
import type { PhaseStatus, RunStatus } from './status';

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
  usage: Usage;
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
  usage: Usage;
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
  usage: Usage;
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
