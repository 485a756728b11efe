/**
 * The memory store's state of one run, mirroring the SQLite tables; the checks that
 * make a batch of facts fail in memory exactly where a SQLite transaction would; and
 * what a fact does to the tables beside the run and its phases (those follow the shared
 * run reducer).
 */
import type { Budget, PersistedEvent, RunFact, RunStartedEvent, Usage } from '../../shared/events';
import type { WaymarkErrorData } from '../../shared/errors';
import type { ApprovalDecision, AttemptRecord, PhaseRecord, PhaseResult, RunRecord, TranscriptEntry, TryRecord } from '../../shared/records';
import type { PhaseStatus } from '../../shared/status';
import { streamTail } from '../../shared/run-reducer';
import { addStepUsage, emptyTotals, type UsageTotals } from '../../shared/usage';
import { sha256 } from './codec';
import { invalidFact, refusal, shapeProblem, startExtras as extrasOf } from './rules';
import { storedTryLog, type StoredTryLog } from './log-pages';
import type { PhaseProcess } from './types';

/** One try of a phase: what `phase_attempts` keeps in SQLite. */
export interface TryState {
  runAttempt: number;
  defHash: string;
  status: PhaseStatus;
  error: WaymarkErrorData | null;
  startedAt: number;
  finishedAt: number | null;
  exitCode: number | null;
  stdoutTail: string | null;
  stderrTail: string | null;
  /** The try's output once a later success replaced it as the saved result (migration 007). */
  output: string | null;
  usage: UsageTotals;
  /** What `phase_logs` and `phase_attempts.command_line` keep of the try (log-pages.ts). */
  log?: StoredTryLog;
}

export interface RunState {
  /** Replaced, never mutated, by the shared reducer (the lease and flow file excepted). */
  run: RunRecord;
  attempts: AttemptRecord[];
  /** The current plan in order, as the shared reducer leaves it (output and tails included). */
  phases: readonly PhaseRecord[];
  /** Tries by phase id, then by try number; kept when a phase leaves the plan, like the table. */
  tries: Map<string, Map<number, TryState>>;
  results: Map<string, PhaseResult & { sha: string }>;
  /** The event log, slimmed as SQLite stores it. */
  events: PersistedEvent[];
  /** Transcript entries by phase id, then by index. */
  transcript: Map<string, Map<number, TranscriptEntry>>;
  /** Recorded process groups by `processKey`, like `phase_processes`. */
  processes: Map<string, PhaseProcess>;
  /** Every decision on an approval phase, oldest first, like `approvals`. */
  decisions: ApprovalDecision[];
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
  const decided = new Set<string>();
  const wasStarted = (phaseId: string, attempt: number) => started.has(`${phaseId}#${attempt}`) || state.tries.get(phaseId)?.has(attempt) === true;
  for (const fact of facts) {
    const problem = shapeProblem(fact);
    if (problem) throw invalidFact(runId, problem);
    if (fact.type === 'run.started' || fact.type === 'run.finished') continue;
    const { phaseId } = fact;
    if (!state.phases.some((p) => p.phaseId === phaseId)) throw invalidFact(runId, refusal.unknownPhase(phaseId));
    if (fact.type === 'phase.started') {
      if (wasStarted(phaseId, fact.attempt)) throw invalidFact(runId, refusal.startedTwice(phaseId, fact.attempt));
      started.add(`${phaseId}#${fact.attempt}`);
    }
    if (fact.type === 'phase.finished' && fact.status === 'succeeded' && !wasStarted(phaseId, fact.attempt)) {
      throw invalidFact(runId, refusal.notStarted(phaseId, fact.attempt));
    }
    if (fact.type === 'approval.decided') {
      const key = `${phaseId}#${fact.attempt}`;
      if (!wasStarted(phaseId, fact.attempt)) throw invalidFact(runId, refusal.notStarted(phaseId, fact.attempt));
      if (decided.has(key) || state.decisions.some((d) => d.phaseId === phaseId && d.attempt === fact.attempt)) throw invalidFact(runId, refusal.decidedTwice(phaseId, fact.attempt));
      decided.add(key);
    }
    if (fact.type === 'transcript.appended') {
      const key = `${phaseId}#${fact.index}`;
      if (indexes.has(key) || state.transcript.get(phaseId)?.has(fact.index)) throw invalidFact(runId, refusal.indexTaken(phaseId, fact.index));
      indexes.add(key);
    }
  }
}

/**
 * What a fact, already applied to the run and its phases, does to the other tables:
 * tries and their tails, saved results, the transcript, an attempt's usage and end.
 */
export function recordFact(state: RunState, event: PersistedEvent): void {
  switch (event.type) {
    case 'run.started':
    case 'phase.waiting':
      return;
    case 'approval.decided': {
      const { phaseId, attempt, decision, by, comment, at } = event;
      state.decisions.push({ phaseId, attempt, decision, by, comment, at });
      return;
    }
    case 'phase.started':
      triesOf(state, event.phaseId).set(event.attempt, {
        runAttempt: event.runAttempt, defHash: event.defHash, status: 'running', error: null, startedAt: event.at, finishedAt: null, exitCode: null,
        stdoutTail: null, stderrTail: null, output: null, usage: emptyTotals(),
      });
      return;
    case 'phase.finished': {
      const tried = event.attempt > 0 ? state.tries.get(event.phaseId)?.get(event.attempt) : undefined;
      if (!tried) return;
      Object.assign(tried, {
        status: event.status, error: event.error ?? null, finishedAt: event.endedAt ?? event.at, exitCode: event.exitCode ?? null,
        stdoutTail: streamTail(event.stdoutTail), stderrTail: streamTail(event.stderrTail),
      });
      if (event.log) tried.log = storedTryLog(event.log);
      if (event.status !== 'succeeded') return;
      const output = event.output ?? '';
      // The try whose result this success replaces keeps its output, as SQLite moves it aside.
      const replaced = state.results.get(event.phaseId);
      const before = replaced && replaced.attempt !== event.attempt ? state.tries.get(event.phaseId)?.get(replaced.attempt) : undefined;
      if (replaced && before) before.output = replaced.output;
      state.results.set(event.phaseId, { phaseId: event.phaseId, defHash: tried.defHash, output, attempt: event.attempt, completedAt: event.at, sha: sha256(output) });
      return;
    }
    case 'transcript.appended': {
      const tries = state.phases.find((p) => p.phaseId === event.phaseId)?.attempts ?? 0;
      const usage = event.usage ? storedStepUsage(event.usage) : null;
      transcriptOf(state, event.phaseId).set(event.index, { phaseId: event.phaseId, index: event.index, attempt: tries, role: event.role, content: event.content ?? null, usage, at: event.at });
      const attempt = state.attempts.find((a) => a.attempt === state.run.attempt);
      if (event.usage && attempt) addStepUsage(attempt.usage, event.usage);
      const current = state.tries.get(event.phaseId)?.get(tries);
      if (event.usage && current) addStepUsage(current.usage, event.usage);
      return;
    }
    case 'run.finished': {
      const ended = event.endedAt ?? event.at;
      const attempt = state.attempts.find((a) => a.attempt === event.attempt);
      if (attempt) Object.assign(attempt, { status: event.status, error: event.error ?? null, finishedAt: ended });
      for (const tries of state.tries.values()) {
        for (const t of tries.values()) if (t.status === 'running') Object.assign(t, { status: 'interrupted', finishedAt: ended });
      }
      return;
    }
  }
}

/**
 * What the store adds to a new attempt's `run.started` (shared/events.ts): the saved
 * outputs of the reused phases, and the tries of planned phases back in the plan.
 */
export function startExtras(state: RunState, start: Pick<RunStartedEvent, 'phases' | 'reused'>): Pick<RunStartedEvent, 'outputs' | 'triesBefore'> {
  const outputs = start.reused.flatMap((id) => {
    const saved = state.results.get(id);
    return saved ? [[id, saved.output] as const] : [];
  });
  const planned = new Set(state.phases.map((p) => p.phaseId));
  const unplanned = new Map([...state.tries].filter(([id]) => !planned.has(id)).map(([id, tries]) => [id, Math.max(0, ...tries.keys())]));
  return extrasOf(outputs, unplanned, start.phases);
}

/**
 * A logged event as `eventsSince` returns it: the heavy fields joined back in from where
 * they are kept, like the SQLite store's query. An output a later success replaced is
 * gone, so it stays out; transcript content stays out (readTranscript has it).
 */
export function replayed(state: RunState, event: PersistedEvent): PersistedEvent {
  if (event.type === 'phase.finished' && event.attempt > 0) {
    const tried = state.tries.get(event.phaseId)?.get(event.attempt);
    const result = state.results.get(event.phaseId);
    return {
      ...event,
      ...(tried && tried.stdoutTail !== null ? { stdoutTail: tried.stdoutTail } : {}),
      ...(tried && tried.stderrTail !== null ? { stderrTail: tried.stderrTail } : {}),
      ...(event.status === 'succeeded' && result?.attempt === event.attempt ? { output: result.output } : {}),
    };
  }
  if (event.type === 'run.started') {
    const outputs = Object.fromEntries(event.reused.flatMap((id) => {
      const saved = state.results.get(id);
      return saved && saved.completedAt <= event.at ? [[id, saved.output]] : [];
    }));
    return Object.keys(outputs).length > 0 ? { ...event, outputs } : event;
  }
  return event;
}

/** Every try as `getTries` answers it (the SQLite `tries` statement): by phase id, then try number. */
export function tryRecords(state: RunState, phaseId?: string): TryRecord[] {
  const phases = [...state.tries].filter(([id]) => phaseId === undefined || id === phaseId).sort(([a], [b]) => compareIds(a, b));
  return phases.flatMap(([id, tries]) => {
    const phase = state.phases.find((p) => p.phaseId === id);
    const result = state.results.get(id);
    return [...tries].sort(([a], [b]) => a - b).map(([attempt, t]): TryRecord => {
      const decided = state.decisions.find((d) => d.phaseId === id && d.attempt === attempt);
      const waiting = phase?.status === 'waiting' && phase.attempts === attempt;
      return {
        runId: state.run.id, phaseId: id, attempt, runAttempt: t.runAttempt, defHash: t.defHash, status: waiting ? 'waiting' : t.status,
        error: t.error, startedAt: t.startedAt, finishedAt: waiting ? null : t.finishedAt, exitCode: t.exitCode,
        output: t.status !== 'succeeded' ? null : result?.attempt === attempt ? result.output : t.output,
        stdoutTail: t.stdoutTail, stderrTail: t.stderrTail, commandLine: t.log?.commandLine ?? null,
        usage: { ...t.usage }, decision: decided ? { ...decided } : null,
      };
    });
  });
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

export function newAttempt(runId: string, attempt: number, flowSource: string, now: number, pid: number, restartPhase: string | null, budget?: Budget): AttemptRecord {
  return { runId, attempt, flowSource, startedAt: now, finishedAt: null, status: 'running', error: null, pid, restartPhase, usage: emptyTotals(), budget: budget ? { ...budget } : null };
}

/** A step's usage as the transcript table gives it back: the details reported, and `costUsd` null without a price. */
function storedStepUsage(u: Usage): Usage {
  return {
    inputTokens: u.inputTokens,
    outputTokens: u.outputTokens,
    ...(u.cachedInputTokens !== undefined ? { cachedInputTokens: u.cachedInputTokens } : {}),
    ...(u.cacheWriteTokens !== undefined ? { cacheWriteTokens: u.cacheWriteTokens } : {}),
    ...(u.reasoningTokens !== undefined ? { reasoningTokens: u.reasoningTokens } : {}),
    costUsd: typeof u.costUsd === 'number' ? u.costUsd : null,
  };
}
