/**
 * The tries of the inspected phase (SPEC §5 History): loaded with `runs.tries` when a
 * phase is opened, then kept current by the run's events, the way every store records a
 * try (a started try appears running; its end, its waiting, its decision, its model
 * steps and the run's end update it). Pure, so it is tested without a DOM.
 */
import type { PersistedEvent } from '../../shared/events';
import type { TryRecord } from '../../shared/records';
import { addStepUsage, emptyTotals } from '../../shared/usage';

export interface TriesState {
  runId: string;
  phaseId: string;
  /** Oldest first; empty while loading. */
  list: readonly TryRecord[];
  loading: boolean;
  error: string | null;
  /** Events of this phase that arrived while the list was loading: applied when it lands. */
  held: readonly PersistedEvent[];
}

export function loadingTries(runId: string, phaseId: string): TriesState {
  return { runId, phaseId, list: [], loading: true, error: null, held: [] };
}

/** The loaded list, with the events that arrived meanwhile applied on top (the ones it already reflects change nothing). */
export function loadedTries(state: TriesState, list: readonly TryRecord[]): TriesState {
  return { ...state, list: applyTryEvents(list, state.runId, state.phaseId, state.held), loading: false, error: null, held: [] };
}

/** Applies a batch of the run's events to the state (held while it loads). */
export function triesAfterEvents(state: TriesState, events: readonly PersistedEvent[]): TriesState {
  const mine = events.filter((e) => e.runId === state.runId && (!('phaseId' in e) || e.phaseId === state.phaseId));
  if (mine.length === 0) return state;
  if (state.loading) return { ...state, held: [...state.held, ...mine] };
  const list = applyTryEvents(state.list, state.runId, state.phaseId, mine);
  return list === state.list ? state : { ...state, list };
}

/** The tries of one phase after `events` (of any phase and run: others are ignored). Returns `list` itself when nothing changed. */
export function applyTryEvents(list: readonly TryRecord[], runId: string, phaseId: string, events: readonly PersistedEvent[]): readonly TryRecord[] {
  let next = list;
  const update = (attempt: number, change: (t: TryRecord) => TryRecord) => {
    const i = next.findIndex((t) => t.attempt === attempt);
    if (i < 0) return;
    const copy = [...next];
    copy[i] = change(next[i] as TryRecord);
    next = copy;
  };
  for (const e of events) {
    if (e.runId !== runId) continue;
    switch (e.type) {
      case 'phase.started':
        if (e.phaseId === phaseId && !next.some((t) => t.attempt === e.attempt)) next = [...next, startedTry(runId, e)];
        break;
      case 'phase.finished':
        if (e.phaseId !== phaseId || e.attempt < 1) break;
        update(e.attempt, (t) => ({
          ...t, status: e.status, error: e.error ?? null, finishedAt: e.endedAt ?? e.at, exitCode: e.exitCode ?? null,
          output: e.status === 'succeeded' ? (e.output ?? '') : null, stdoutTail: e.stdoutTail ?? null, stderrTail: e.stderrTail ?? null,
        }));
        break;
      case 'phase.waiting':
        if (e.phaseId === phaseId) update(e.attempt, (t) => ({ ...t, status: 'waiting', finishedAt: null }));
        break;
      case 'approval.decided':
        if (e.phaseId === phaseId) update(e.attempt, (t) => ({ ...t, decision: { phaseId, attempt: e.attempt, decision: e.decision, by: e.by, comment: e.comment, at: e.at } }));
        break;
      case 'transcript.appended': {
        // A model step belongs to the phase's current try: the newest one.
        const current = next[next.length - 1];
        if (e.phaseId !== phaseId || !e.usage || !current) break;
        const usage = { ...current.usage };
        addStepUsage(usage, e.usage);
        update(current.attempt, (t) => ({ ...t, usage }));
        break;
      }
      case 'run.finished': {
        // Tries still open end with the run; a waiting approval stays waiting in a waiting run.
        const ended = e.endedAt ?? e.at;
        for (const t of next) {
          if (t.status === 'running' || (t.status === 'waiting' && e.status !== 'waiting')) update(t.attempt, (x) => ({ ...x, status: 'interrupted', finishedAt: ended }));
        }
        break;
      }
      default:
        break;
    }
  }
  return next;
}

function startedTry(runId: string, e: Extract<PersistedEvent, { type: 'phase.started' }>): TryRecord {
  return {
    runId, phaseId: e.phaseId, attempt: e.attempt, runAttempt: e.runAttempt, defHash: e.defHash, status: 'running', error: null,
    startedAt: e.at, finishedAt: null, exitCode: null, output: null, stdoutTail: null, stderrTail: null, commandLine: null,
    usage: emptyTotals(), decision: null,
  };
}
