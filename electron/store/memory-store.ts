/**
 * The in-memory checkpoint store: the same behaviour as the SQLite store without a
 * file, for tests and benchmarks. It copies records in and out so callers can never
 * mutate its state behind its back, as with a real database.
 *
 * Its run and phase records change only through the shared run reducer
 * (shared/run-reducer.ts), event by event; its other tables (tries, results,
 * transcript, processes, the event log) are kept beside them (memory-state.ts).
 */
import { emittedEvent, slimEvent, type PersistedEvent, type RunFact, type RunStartedEvent } from '../../shared/events';
import type { ApprovalDecision, AttemptRecord, PhaseRecord, PhaseResult, RunRecord, TranscriptEntry, TryRecord } from '../../shared/records';
import { applyRunEvents } from '../../shared/run-reducer';
import { emptyTotals } from '../../shared/usage';
import { compareNewestFirst, isListedAfter, type RunsCursor } from '../../shared/runs-page';
import { isResumable, type RunStatus } from '../../shared/status';
import type { LogRange, LogStream, TryLogPage } from '../../shared/log/phase-log';
import { sha256 } from './codec';
import { pageOfStored } from './log-pages';
import { MemoryQueue } from './memory-queue';
import { compareIds, compareProcesses, newAttempt, processKey, recordFact, replayed, startExtras, tryRecords, validate, type RunState } from './memory-state';
import { rerunOutputs, rerunReuse } from './rerun-rules';
import { corruptResult, leaseLost, notResumable, ownerGone, type LeaseView, reapFacts, requeueVerdict, runExists, runNotFound, runOwned } from './rules';
import { idleCancelFacts } from './cancel-rules';
import { decisionFacts } from './decide-rules';
import type { CheckpointStore, ClaimedRun, DecisionRequest, NewAttempt, NewRun, Owner, OwnerProbe, PhaseProcess, QueuedResume, RunStart } from './types';

const clone = <T>(value: T): T => structuredClone(value);
/** What a value looks like after a trip through a JSON column, as SQLite stores it. */
const stored = <T>(value: T): T => JSON.parse(JSON.stringify(value ?? null)) as T;
const leaseOf = (r: RunRecord): LeaseView => ({ ownerPid: r.owner?.pid ?? null, ownerHost: r.owner?.host ?? null, heartbeatAt: r.owner?.heartbeatAt ?? null });

export class MemoryStore implements CheckpointStore {
  private readonly runs = new Map<string, RunState>();
  private readonly queue = new MemoryQueue(this.runs);

  async createRun(init: NewRun, owner: Owner, now: number): Promise<RunStart> {
    if (this.runs.has(init.id)) throw runExists(init.id);
    const state: RunState = {
      run: {
        id: init.id, flowName: init.start.flowName, flowFile: init.flowFile, status: 'running', inputs: stored(init.inputs), error: null,
        createdAt: now, updatedAt: now, finishedAt: null, attempt: 1, lastSeq: 0,
        owner: { id: owner.id, pid: owner.pid, host: owner.host, heartbeatAt: now }, waitingFor: null, usage: emptyTotals(),
        rerunOf: init.rerunOf ? { ...init.rerunOf } : null, activeMs: 0, attemptStartedAt: now,
      },
      attempts: [newAttempt(init.id, 1, init.flowSource, now, owner.pid, null, init.start.budget)],
      phases: [], tries: new Map(), results: new Map(), events: [], transcript: new Map(), processes: new Map(), decisions: [],
    };
    const outputs = this.copyReused(state, init);
    this.runs.set(init.id, state);
    const events = this.append(state, [{ type: 'run.started', attempt: 1, resumed: false, ...init.start, ...outputs }], now);
    return { run: clone(state.run), events };
  }

  async beginAttempt(runId: string, init: NewAttempt, owner: Owner, now: number, isAlive: OwnerProbe): Promise<RunStart> {
    const state = this.runs.get(runId);
    if (!state) throw runNotFound(runId);
    const events: PersistedEvent[] = [];
    const claimed = state.run.status === 'running' && state.run.owner?.id === owner.id;
    if (state.run.status === 'running' && !claimed) {
      const lease = leaseOf(state.run);
      if (!ownerGone(lease, isAlive, now, Number.POSITIVE_INFINITY)) throw runOwned(runId, lease.ownerPid);
      events.push(...this.reap(state, now));
    }
    const r = state.run;
    if (!claimed && !isResumable(r.status)) throw notResumable(runId, r.status);
    const attempt = r.attempt + 1;
    // The lease and the flow file are not facts: set beside the event (run-reducer.ts).
    state.run = { ...r, flowFile: init.flowFile, owner: { id: owner.id, pid: owner.pid, host: owner.host, heartbeatAt: now } };
    state.attempts.push(newAttempt(runId, attempt, init.flowSource, now, owner.pid, init.restartPhase, init.start.budget));
    const fact: RunStartedEvent = { type: 'run.started', attempt, resumed: attempt > 1, ...init.start, ...startExtras(state, init.start) };
    events.push(...this.append(state, [fact], now));
    return { run: clone(state.run), events };
  }

  async commit(runId: string, owner: Owner, facts: RunFact[], now: number): Promise<PersistedEvent[]> {
    const state = this.runs.get(runId);
    if (!state) throw runNotFound(runId);
    if (state.run.status !== 'running' || state.run.owner?.id !== owner.id) throw leaseLost(runId);
    return this.append(state, facts, now);
  }

  async heartbeat(runId: string, owner: Owner, now: number): Promise<boolean> {
    const r = this.runs.get(runId)?.run;
    if (!r || r.status !== 'running' || r.owner?.id !== owner.id) return false;
    r.owner.heartbeatAt = now;
    return true;
  }

  async reapOrphans(isAlive: OwnerProbe, now: number, staleMs: number): Promise<PersistedEvent[]> {
    const events: PersistedEvent[] = [];
    const running = [...this.runs.values()].filter((s) => s.run.status === 'running').sort((a, b) => a.run.createdAt - b.run.createdAt || compareIds(a.run.id, b.run.id));
    for (const state of running) {
      if (!ownerGone(leaseOf(state.run), isAlive, now, staleMs)) continue;
      const verdict = requeueVerdict(this.queue.viewOf(state));
      events.push(...this.reap(state, now, verdict.requeue ? undefined : verdict.note));
      if (verdict.requeue) events.push(...this.queue.requeueReaped(state, verdict.requeues, now));
    }
    return events;
  }

  async enqueueRun(init: NewRun, now: number): Promise<RunStart> {
    return this.queue.enqueueRun(init, now);
  }

  async enqueueResume(runId: string, resume: QueuedResume, now: number): Promise<RunStart> {
    return this.queue.enqueueResume(runId, resume, now);
  }

  async claimQueued(owner: Owner, now: number): Promise<ClaimedRun | undefined> {
    return this.queue.claimQueued(owner, now);
  }

  async decide(runId: string, request: DecisionRequest, now: number): Promise<PersistedEvent[]> {
    const state = this.runs.get(runId);
    if (!state) throw runNotFound(runId);
    const { run, phases } = state;
    const view = { id: run.id, status: run.status, attempt: run.attempt, ownerPid: run.owner?.pid ?? null, ownerHost: run.owner?.host ?? null };
    const facts = decisionFacts(runId, view, phases.map((p) => p.phaseId), phases.find((p) => p.phaseId === request.phaseId), request, now);
    return this.append(state, facts, now);
  }

  async cancelIdle(runId: string, now: number): Promise<PersistedEvent[]> {
    const state = this.runs.get(runId);
    const run = state && { status: state.run.status, attempt: state.run.attempt, ownerPid: state.run.owner?.pid ?? null };
    const facts = idleCancelFacts(runId, run);
    return state && facts.length > 0 ? this.append(state, facts, now) : [];
  }

  async recordProcess(process: PhaseProcess): Promise<void> {
    const state = this.runs.get(process.runId);
    if (!state) throw runNotFound(process.runId);
    state.processes.set(processKey(process.host, process.pgid), { ...process });
  }

  async forgetProcess(runId: string, host: string, pgid: number): Promise<void> {
    this.runs.get(runId)?.processes.delete(processKey(host, pgid));
  }

  async processesOf(runId: string): Promise<PhaseProcess[]> {
    return clone([...(this.runs.get(runId)?.processes.values() ?? [])].sort(compareProcesses));
  }

  async strayProcesses(host: string): Promise<PhaseProcess[]> {
    const stopped = [...this.runs.values()].filter((s) => s.run.status !== 'running');
    return clone(stopped.flatMap((s) => [...s.processes.values()].filter((p) => p.host === host)).sort(compareProcesses));
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    const r = this.runs.get(runId)?.run;
    return r && clone(r);
  }

  async listRuns(limit: number, status?: RunStatus, before?: RunsCursor): Promise<RunRecord[]> {
    return [...this.runs.values()]
      .map((s) => s.run)
      .filter((r) => (status === undefined || r.status === status) && (before === undefined || isListedAfter(r, before)))
      .sort(compareNewestFirst)
      .slice(0, limit)
      .map(clone);
  }

  async getAttempts(runId: string): Promise<AttemptRecord[]> {
    return clone(this.runs.get(runId)?.attempts ?? []);
  }

  async getPhases(runId: string): Promise<PhaseRecord[]> {
    return clone([...(this.runs.get(runId)?.phases ?? [])]);
  }

  async getPhaseResults(runId: string, skipVerify: ReadonlySet<string> = new Set()): Promise<Map<string, PhaseResult>> {
    const out = new Map<string, PhaseResult>();
    const saved = [...(this.runs.get(runId)?.results ?? [])].sort(([a], [b]) => compareIds(a, b));
    for (const [id, { sha, ...result }] of saved) {
      if (!skipVerify.has(id) && sha256(result.output) !== sha) throw corruptResult(runId, id, 'its checksum does not match');
      out.set(id, clone(result));
    }
    return out;
  }

  async getTries(runId: string, phaseId?: string): Promise<TryRecord[]> {
    const state = this.runs.get(runId);
    return state ? clone(tryRecords(state, phaseId)) : [];
  }

  async getDecisions(runId: string): Promise<ApprovalDecision[]> {
    const decisions = [...(this.runs.get(runId)?.decisions ?? [])];
    return clone(decisions.sort((a, b) => a.at - b.at || compareIds(a.phaseId, b.phaseId) || a.attempt - b.attempt));
  }

  async readTranscript(runId: string, phaseId: string, fromIndex: number, limit: number): Promise<TranscriptEntry[]> {
    const entries = [...(this.runs.get(runId)?.transcript.get(phaseId)?.values() ?? [])];
    return clone(entries.filter((e) => e.index >= fromIndex).sort((a, b) => a.index - b.index).slice(0, limit));
  }

  async readLog(runId: string, phaseId: string, attempt: number, stream: LogStream, range: LogRange): Promise<TryLogPage | undefined> {
    const log = this.runs.get(runId)?.tries.get(phaseId)?.get(attempt)?.log;
    return log && pageOfStored(stream, log[stream], log.commandLine, range);
  }

  async eventsSince(runId: string, afterSeq: number, limit: number): Promise<PersistedEvent[]> {
    const state = this.runs.get(runId);
    if (!state) return [];
    return clone(state.events.filter((e) => e.seq > afterSeq).slice(0, limit).map((e) => replayed(state, e)));
  }

  async runsUpdatedSince(since: number): Promise<{ id: string; lastSeq: number; updatedAt: number }[]> {
    return [...this.runs.values()]
      .map((s) => s.run)
      .filter((r) => r.updatedAt > since)
      .sort((a, b) => a.updatedAt - b.updatedAt || compareIds(a.id, b.id))
      .map((r) => ({ id: r.id, lastSeq: r.lastSeq, updatedAt: r.updatedAt }));
  }

  async close(): Promise<void> {}

  /** Test hook: damages a saved output the way a bad disk or a hand edit would (a succeeded phase shows it, as in SQLite). */
  corruptResultForTest(runId: string, phaseId: string, output: string): void {
    const state = this.runs.get(runId);
    const result = state?.results.get(phaseId);
    if (!state || !result) return;
    result.output = output;
    state.phases = state.phases.map((p) => (p.phaseId === phaseId && p.status === 'succeeded' ? { ...p, output } : p));
  }

  private reap(state: RunState, now: number, note?: string): PersistedEvent[] {
    const running = state.phases
      .filter((p) => p.status === 'running' || p.status === 'waiting')
      .map((p) => ({ phaseId: p.phaseId, attempt: p.attempts, startedAt: p.startedAt }));
    const { owner, attemptStartedAt, updatedAt } = state.run;
    const dead = { ownerPid: owner?.pid ?? null, heartbeatAt: owner?.heartbeatAt ?? null, lastCommitAt: updatedAt, attemptStartedAt };
    return this.append(state, reapFacts(state.run.attempt, running, dead, now, note), now);
  }

  /** A rerun's reused phases: the saved results of the run it came from, copied (rerun-rules.ts). */
  private copyReused(state: RunState, init: NewRun): Pick<RunStartedEvent, 'outputs'> {
    const reused = rerunReuse(init);
    if (!reused || !init.rerunOf) return {};
    const from = this.runs.get(init.rerunOf.runId)?.results;
    const copied = new Map<string, string>();
    for (const id of reused) {
      const saved = from?.get(id);
      if (!saved) continue;
      state.results.set(id, { ...saved, attempt: 0 });
      copied.set(id, saved.output);
    }
    return rerunOutputs(init, copied);
  }

  /**
   * All or nothing, like the SQLite transaction: the batch is checked before anything is
   * applied. Each fact, as a JSON column would keep it, goes through the shared reducer
   * (the run and its phases) and then into the other tables.
   */
  private append(state: RunState, facts: RunFact[], now: number): PersistedEvent[] {
    validate(state, facts);
    return facts.map((fact) => {
      const stamp = { runId: state.run.id, seq: state.run.lastSeq + 1, at: now };
      const event = { ...stored(fact), ...stamp } as PersistedEvent;
      ({ run: state.run, phases: state.phases } = applyRunEvents(state, [event]));
      recordFact(state, event);
      state.events.push(slimEvent(event));
      return { ...emittedEvent(fact), ...stamp } as PersistedEvent;
    });
  }
}
