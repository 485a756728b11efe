/**
 * The memory store's state of one run, mirroring the SQLite tables, and the checks that
 * make a batch of facts fail in memory exactly where a SQLite transaction would.
 */
import type { PersistedEvent, RunFact } from '../../shared/events';
import type { AttemptRecord, PhaseRecord, PhaseResult, RunRecord, TranscriptEntry } from '../../shared/records';
import { invalidFact, refusal, shapeProblem } from './rules';
import type { PhaseProcess } from './types';

/** One try of a phase: what `phase_attempts` keeps in SQLite. */
export interface TryState {
  defHash: string;
  stdoutTail: string | null;
  stderrTail: string | null;
}

export interface RunState {
  run: RunRecord;
  attempts: AttemptRecord[];
  phases: Map<string, PhaseRecord>;
  /** Tries by phase id, then by try number; kept when a phase leaves the plan, like the table. */
  tries: Map<string, Map<number, TryState>>;
  results: Map<string, PhaseResult & { sha: string }>;
  events: PersistedEvent[];
  /** Transcript entries by phase id, then by index. */
  transcript: Map<string, Map<number, TranscriptEntry>>;
  /** Recorded process groups by `processKey`, like `phase_processes`. */
  processes: Map<string, PhaseProcess>;
}

/** The primary key of `phase_processes` within one run. */
export const processKey = (host: string, pgid: number): string => `${host}\u0000${pgid}`;

/** `phase_processes` order: started_at, run_id, host, pgid. */
export function compareProcesses(a: PhaseProcess, b: PhaseProcess): number {
  return a.startedAt - b.startedAt || compareIds(a.runId, b.runId) || compareIds(a.host, b.host) || a.pgid - b.pgid;
}

/**
 * Refuses a batch exactly where the SQLite store would (rules.ts wording), checking the
 * facts in order against the run as each earlier fact of the batch would leave it.
 */
export function validate(state: RunState, facts: RunFact[]): void {
  const runId = state.run.id;
  const started = new Set<string>();
  const indexes = new Set<string>();
  const wasStarted = (phaseId: string, attempt: number) => started.has(`${phaseId}#${attempt}`) || state.tries.get(phaseId)?.has(attempt) === true;
  for (const fact of facts) {
    const problem = shapeProblem(fact);
    if (problem) throw invalidFact(runId, problem);
    if (fact.type === 'run.started' || fact.type === 'run.finished') continue;
    const { phaseId } = fact;
    if (!state.phases.has(phaseId)) throw invalidFact(runId, refusal.unknownPhase(phaseId));
    if (fact.type === 'phase.started') {
      if (wasStarted(phaseId, fact.attempt)) throw invalidFact(runId, refusal.startedTwice(phaseId, fact.attempt));
      started.add(`${phaseId}#${fact.attempt}`);
    }
    if (fact.type === 'phase.finished' && fact.status === 'succeeded' && !wasStarted(phaseId, fact.attempt)) {
      throw invalidFact(runId, refusal.notStarted(phaseId, fact.attempt));
    }
    if (fact.type === 'transcript.appended') {
      const key = `${phaseId}#${fact.index}`;
      if (indexes.has(key) || state.transcript.get(phaseId)?.has(fact.index)) throw invalidFact(runId, refusal.indexTaken(phaseId, fact.index));
      indexes.add(key);
    }
  }
}

export function mustPhase(state: RunState, phaseId: string): PhaseRecord {
  const p = state.phases.get(phaseId);
  if (!p) throw invalidFact(state.run.id, refusal.unknownPhase(phaseId));
  return p;
}

export function triesOf(state: RunState, phaseId: string): Map<number, TryState> {
  const tries = state.tries.get(phaseId) ?? new Map<number, TryState>();
  state.tries.set(phaseId, tries);
  return tries;
}

export function transcriptOf(state: RunState, phaseId: string): Map<number, TranscriptEntry> {
  const entries = state.transcript.get(phaseId) ?? new Map<number, TranscriptEntry>();
  state.transcript.set(phaseId, entries);
  return entries;
}

/** Code-unit order: SQLite's BINARY collation for the ASCII ids Waymark generates and allows. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function newAttempt(runId: string, attempt: number, flowSource: string, now: number, pid: number, restartPhase: string | null): AttemptRecord {
  return { runId, attempt, flowSource, startedAt: now, finishedAt: null, status: 'running', error: null, pid, restartPhase, usage: { inputTokens: 0, outputTokens: 0 } };
}
