/**
 * How a fact changes a run (STYLE rule 9): the one definition, used by the stores that
 * keep state in memory and by the renderer, and held to what the SQLite store does by
 * the conformance case "snapshot + events after it = fresh snapshot"
 * (electron/store/conformance/replay.ts).
 *
 * A snapshot is what `getRun` + `getPhases` answer. The reducer is pure and copies on
 * write: it never mutates what it is given, returns the same snapshot when no event
 * applies, and a phase no event touched keeps its object (the renderer relies on that).
 *
 * What events do not carry, so a reducer cannot derive: the run's `owner` (the lease:
 * taken by beginAttempt or a worker's claim, refreshed by heartbeats; `run.finished` and
 * `run.queued` clear it) and its `flowFile` (a resume may start from a moved file). Both
 * are kept as they are. A worker's claim of a queued run (claimQueued) also makes it
 * `running` without an event; the claimer's `run.started` follows at once.
 */
import type { PersistedEvent } from './events';
import type { PhaseRecord, RunRecord } from './records';
import { addStepUsage, emptyTotals } from './usage';

export interface RunSnapshot {
  readonly run: RunRecord;
  /** The phases of the current plan, in plan order (`position` 0..n-1). */
  readonly phases: readonly PhaseRecord[];
}

/** Characters of a command's stdout/stderr kept per phase try. */
export const STREAM_TAIL_CHARS = 64 * 1024;

/** The part of a stream a store keeps: its last STREAM_TAIL_CHARS characters. */
export function streamTail(text: string | undefined, max = STREAM_TAIL_CHARS): string | null {
  if (text === undefined) return null;
  return text.length > max ? text.slice(text.length - max) : text;
}

/**
 * Applies the events of this run that are newer than the snapshot (seq above
 * `run.lastSeq`), in seq order. The caller passes every event after `lastSeq` it has;
 * events of other runs and ones already applied are ignored.
 */
export function applyRunEvents(snapshot: RunSnapshot, events: readonly PersistedEvent[]): RunSnapshot {
  const fresh = events.filter((e) => e.runId === snapshot.run.id && e.seq > snapshot.run.lastSeq).sort((a, b) => a.seq - b.seq);
  if (fresh.length === 0) return snapshot;
  const draft = new Draft(snapshot);
  for (const event of fresh) {
    if (event.seq <= draft.run.lastSeq) continue; // a duplicate seq in the batch
    applyOne(draft, event);
    draft.run.lastSeq = event.seq;
    draft.run.updatedAt = event.at;
  }
  return { run: draft.run, phases: draft.phases };
}

/** One batch's working copy: the run is copied once, each phase on its first write. */
class Draft {
  readonly run: RunRecord;
  phases: PhaseRecord[];
  private index: Map<string, number>;
  private readonly copied = new Set<PhaseRecord>();

  constructor(snapshot: RunSnapshot) {
    this.run = { ...snapshot.run, usage: { ...snapshot.run.usage } };
    this.phases = [...snapshot.phases];
    this.index = indexOf(this.phases);
  }

  replan(phases: PhaseRecord[]): void {
    this.phases = phases;
    this.index = indexOf(phases);
  }

  /** The phase to write to, copied on first write; undefined when it is not planned. */
  phase(phaseId: string): PhaseRecord | undefined {
    const i = this.index.get(phaseId);
    if (i === undefined) return undefined;
    const current = this.phases[i] as PhaseRecord;
    if (this.copied.has(current)) return current;
    const copy = { ...current, usage: { ...current.usage } };
    this.phases[i] = copy;
    this.copied.add(copy);
    return copy;
  }

  /** Marks a record built during this batch as writable in place. */
  own(phase: PhaseRecord): PhaseRecord {
    this.copied.add(phase);
    return phase;
  }
}

type EventOf<T extends PersistedEvent['type']> = Extract<PersistedEvent, { type: T }>;

const indexOf = (phases: readonly PhaseRecord[]) => new Map(phases.map((p, i) => [p.phaseId, i]));

function applyOne(draft: Draft, event: PersistedEvent): void {
  switch (event.type) {
    case 'run.started':
      Object.assign(draft.run, { status: 'running', attempt: event.attempt, error: null, finishedAt: null, flowName: event.flowName, waitingFor: null, attemptStartedAt: event.at });
      draft.replan(replan(draft, event));
      return;
    case 'phase.started': {
      const p = draft.phase(event.phaseId);
      if (p) Object.assign(p, { status: 'running', attempts: event.attempt, startedAt: event.at, finishedAt: null, error: null, exitCode: null, output: null, stdoutTail: null, stderrTail: null, waiting: null });
      return;
    }
    case 'phase.waiting': {
      const p = draft.phase(event.phaseId);
      if (p) Object.assign(p, { status: 'waiting', waiting: { reason: event.reason, prompt: event.prompt ?? null, message: event.message ?? null, since: event.at } });
      return;
    }
    case 'approval.decided': {
      const { phaseId, attempt, decision, by, comment, at } = event;
      const p = draft.phase(phaseId);
      if (p) p.decision = { phaseId, attempt, decision, by, comment, at };
      // A waiting run decided on out of process (store.decide) waits for one approval less.
      const waitingFor = draft.run.waitingFor;
      if (waitingFor?.approvals.includes(phaseId)) draft.run.waitingFor = { ...waitingFor, approvals: waitingFor.approvals.filter((id) => id !== phaseId) };
      return;
    }
    case 'phase.finished': {
      const p = draft.phase(event.phaseId);
      if (p) finishPhase(p, event);
      return;
    }
    case 'transcript.appended': {
      if (!event.usage) return;
      const p = draft.phase(event.phaseId);
      if (p) addStepUsage(p.usage, event.usage);
      addStepUsage(draft.run.usage, event.usage);
      return;
    }
    case 'run.queued':
      // Waiting for a worker: no owner, not finished; the error says why it stopped, if it did.
      Object.assign(draft.run, { status: 'queued', attempt: event.attempt, finishedAt: null, flowName: event.flowName, owner: null, waitingFor: null, attemptStartedAt: null });
      return;
    case 'run.finished': {
      const ended = event.endedAt ?? event.at;
      const { attemptStartedAt: began, activeMs } = draft.run;
      // The attempt's active time counts once: a run.finished without a run.started before it (a claim that failed) adds none.
      Object.assign(draft.run, { status: event.status, error: event.error ?? null, finishedAt: ended, owner: null, waitingFor: event.waitingFor ?? null });
      Object.assign(draft.run, { activeMs: activeMs + (began === null ? 0 : Math.max(0, ended - began)), attemptStartedAt: null });
      // Waiting phases stay waiting only in a waiting run; otherwise they end like running ones.
      const open = (status: PhaseRecord['status']) => status === 'running' || (status === 'waiting' && event.status !== 'waiting');
      for (const { phaseId, status } of [...draft.phases]) {
        if (open(status)) Object.assign(draft.phase(phaseId) as PhaseRecord, { status: 'interrupted', finishedAt: ended, waiting: null });
      }
      return;
    }
  }
}

/**
 * A new attempt's plan. Phases out of the plan go. A planned phase keeps its last try
 * (tries, timings, exit code, stream tails: history worth showing on a phase about to
 * re-run) and its usage; it is `succeeded` with its saved output and error when reused,
 * else `pending` with neither. A phase new to the plan starts empty.
 */
function replan(draft: Draft, event: EventOf<'run.started'>): PhaseRecord[] {
  const before = new Map(draft.phases.map((p) => [p.phaseId, p]));
  const reused = new Set(event.reused);
  return event.phases.map((planned, position) => {
    const old = before.get(planned.id);
    const succeeded = reused.has(planned.id);
    const next: PhaseRecord = {
      runId: draft.run.id, phaseId: planned.id, position, kind: planned.kind, dependsOn: [...planned.dependsOn], defHash: planned.defHash,
      status: succeeded ? 'succeeded' : 'pending',
      attempts: old?.attempts ?? event.triesBefore?.[planned.id] ?? 0,
      error: succeeded ? (old?.error ?? null) : null,
      startedAt: old?.startedAt ?? null, finishedAt: old?.finishedAt ?? null, exitCode: old?.exitCode ?? null,
      output: succeeded ? (event.outputs?.[planned.id] ?? old?.output ?? null) : null,
      stdoutTail: old?.stdoutTail ?? null, stderrTail: old?.stderrTail ?? null,
      waiting: null, decision: old?.decision ?? null,
      usage: old ? { ...old.usage } : emptyTotals(),
    };
    return old && samePhase(old, next) ? old : draft.own(next);
  });
}

/**
 * A try ended. A scheduled retry keeps the phase running. The output shows only on a
 * success (a success without one saved the empty text). The tails describe the phase's
 * latest try: a late end of an older try, or a skip (try 0), leaves them alone.
 */
function finishPhase(p: PhaseRecord, event: EventOf<'phase.finished'>): void {
  const status = event.retryInMs !== undefined ? 'running' : event.status;
  Object.assign(p, { status, finishedAt: event.endedAt ?? event.at, error: event.error ?? null, exitCode: event.exitCode ?? null, waiting: null });
  p.output = status === 'succeeded' ? (event.output ?? '') : null;
  if (event.attempt > 0 && event.attempt === p.attempts) {
    p.stdoutTail = streamTail(event.stdoutTail);
    p.stderrTail = streamTail(event.stderrTail);
  }
}

function samePhase(a: PhaseRecord, b: PhaseRecord): boolean {
  const keys: (keyof PhaseRecord)[] = ['position', 'kind', 'defHash', 'status', 'attempts', 'error', 'output', 'waiting', 'decision'];
  return keys.every((k) => a[k] === b[k]) && a.dependsOn.length === b.dependsOn.length && a.dependsOn.every((d, i) => d === b.dependsOn[i]);
}
