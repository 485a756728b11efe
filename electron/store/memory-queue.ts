/**
 * The queue of the in-memory store (SPEC §7; types.ts, "The queue"), mirroring the
 * SQLite store's queue columns (migration 003) and sqlite-queue.ts. `run.queued` goes
 * through the shared run reducer like every fact; a claim, like the lease, is set
 * beside it (shared/run-reducer.ts).
 */
import type { PersistedEvent, RunQueuedEvent } from '../../shared/events';
import { applyRunEvents } from '../../shared/run-reducer';
import { isResumable } from '../../shared/status';
import { emptyTotals } from '../../shared/usage';
import { compareIds, type RunState } from './memory-state';
import { notResumable, runExists, runNotFound, runOwned, type QueueView } from './rules';
import type { ClaimedRun, NewRun, Owner, QueuedResume, RunStart } from './types';

/** What `runs` keeps about the queue for one run (SQLite: its queue columns). */
interface QueueEntry {
  queuedAt: number | null;
  source: string | null;
  restartPhase: string | null;
  claimedBy: string | null;
  requeues: number;
}

const clone = <T>(value: T): T => structuredClone(value);

export class MemoryQueue {
  private readonly entries = new Map<string, QueueEntry>();

  constructor(private readonly runs: Map<string, RunState>) {}

  enqueueRun(init: NewRun, now: number): RunStart {
    if (this.runs.has(init.id)) throw runExists(init.id);
    const state: RunState = {
      run: {
        id: init.id, flowName: init.start.flowName, flowFile: init.flowFile, status: 'queued', inputs: JSON.parse(JSON.stringify(init.inputs)) as Record<string, string>, error: null,
        createdAt: now, updatedAt: now, finishedAt: null, attempt: 0, lastSeq: 0, owner: null, waitingFor: null, usage: emptyTotals(),
        rerunOf: null, activeMs: 0, attemptStartedAt: null,
      },
      attempts: [], phases: [], tries: new Map(), results: new Map(), events: [], transcript: new Map(), processes: new Map(), decisions: [],
    };
    this.runs.set(init.id, state);
    this.entries.set(init.id, { queuedAt: now, source: init.flowSource, restartPhase: null, claimedBy: null, requeues: 0 });
    const events = [appendQueued(state, undefined, now)];
    return { run: clone(state.run), events };
  }

  enqueueResume(runId: string, resume: QueuedResume, now: number): RunStart {
    const state = this.runs.get(runId);
    if (!state) throw runNotFound(runId);
    if (state.run.status === 'running') throw runOwned(runId, state.run.owner?.pid ?? null);
    if (!isResumable(state.run.status)) throw notResumable(runId, state.run.status);
    Object.assign(this.entry(runId), { queuedAt: now, source: resume.flowSource, restartPhase: resume.restartPhase });
    const events = [appendQueued(state, undefined, now)];
    return { run: clone(state.run), events };
  }

  claimQueued(owner: Owner, now: number): ClaimedRun | undefined {
    const queued = [...this.runs.values()].filter((s) => s.run.status === 'queued');
    const state = queued.sort((a, b) => (this.entry(a.run.id).queuedAt ?? 0) - (this.entry(b.run.id).queuedAt ?? 0) || compareIds(a.run.id, b.run.id))[0];
    if (!state) return undefined;
    const entry = this.entry(state.run.id);
    state.run = { ...state.run, status: 'running', updatedAt: now, owner: { id: owner.id, pid: owner.pid, host: owner.host, heartbeatAt: now } };
    entry.claimedBy = owner.id;
    const last = state.attempts[state.attempts.length - 1];
    return { run: clone(state.run), flowSource: entry.source ?? last?.flowSource ?? null, restartPhase: entry.restartPhase };
  }

  /** The reaper's view of a run, before the reap clears its owner. */
  viewOf(state: RunState): QueueView {
    const entry = this.entry(state.run.id);
    return { ownerId: state.run.owner?.id ?? null, claimedBy: entry.claimedBy, requeues: entry.requeues };
  }

  /** After the reaper interrupted the run: queues it again, its `requeues`-th time, never restarting a phase. */
  requeueReaped(state: RunState, requeues: number, now: number): PersistedEvent[] {
    Object.assign(this.entry(state.run.id), { queuedAt: now, restartPhase: null, requeues });
    return [appendQueued(state, requeues, now)];
  }

  private entry(runId: string): QueueEntry {
    let entry = this.entries.get(runId);
    if (!entry) {
      entry = { queuedAt: null, source: null, restartPhase: null, claimedBy: null, requeues: 0 };
      this.entries.set(runId, entry);
    }
    return entry;
  }
}

/** Logs `run.queued` and applies it through the shared reducer. */
function appendQueued(state: RunState, requeues: number | undefined, now: number): PersistedEvent {
  const fact: RunQueuedEvent = { type: 'run.queued', attempt: state.run.attempt, flowName: state.run.flowName, ...(requeues !== undefined ? { requeues } : {}) };
  const event: PersistedEvent = { ...fact, runId: state.run.id, seq: state.run.lastSeq + 1, at: now };
  ({ run: state.run, phases: state.phases } = applyRunEvents(state, [event]));
  state.events.push(event);
  return clone(event);
}
