/**
 * The in-memory checkpoint store: the same behaviour as the SQLite store without a
 * file, for tests and benchmarks. It copies records in and out so callers can never
 * mutate its state behind its back, as with a real database.
 */
import { slimEvent, type PersistedEvent, type RunFact } from '../../shared/events';
import type { AttemptRecord, PhaseRecord, PhaseResult, RunRecord, TranscriptEntry } from '../../shared/records';
import { isResumable } from '../../shared/status';
import { sha256, tail } from './codec';
import { compareIds, compareProcesses, mustPhase, newAttempt, processKey, transcriptOf, triesOf, validate, type RunState } from './memory-state';
import { corruptResult, leaseLost, notResumable, ownerGone, type LeaseView, reapFacts, runExists, runNotFound, runOwned } from './rules';
import type { CheckpointStore, NewAttempt, NewRun, Owner, OwnerProbe, PhaseProcess, RunStart } from './types';

const clone = <T>(value: T): T => structuredClone(value);
/** What a value looks like after a trip through a JSON column, as SQLite stores it. */
const stored = <T>(value: T): T => JSON.parse(JSON.stringify(value ?? null)) as T;
const leaseOf = (r: RunRecord): LeaseView => ({ ownerPid: r.owner?.pid ?? null, ownerHost: r.owner?.host ?? null, heartbeatAt: r.owner?.heartbeatAt ?? null });

export class MemoryStore implements CheckpointStore {
  private readonly runs = new Map<string, RunState>();

  createRun(init: NewRun, owner: Owner, now: number): RunStart {
    if (this.runs.has(init.id)) throw runExists(init.id);
    const state: RunState = {
      run: {
        id: init.id, flowName: init.flowName, flowFile: init.flowFile, status: 'running', inputs: stored(init.inputs), error: null,
        createdAt: now, updatedAt: now, finishedAt: null, attempt: 1, lastSeq: 0,
        owner: { id: owner.id, pid: owner.pid, host: owner.host, heartbeatAt: now }, usage: { inputTokens: 0, outputTokens: 0 },
      },
      attempts: [newAttempt(init.id, 1, init.flowSource, now, owner.pid, null)],
      phases: new Map(), tries: new Map(), results: new Map(), events: [], transcript: new Map(), processes: new Map(),
    };
    this.runs.set(init.id, state);
    this.plan(state, init.start.phases, new Set());
    const events = this.append(state, [{ type: 'run.started', attempt: 1, resumed: false, ...init.start }], now);
    return { run: clone(state.run), events };
  }

  beginAttempt(runId: string, init: NewAttempt, owner: Owner, now: number, isAlive: OwnerProbe): RunStart {
    const state = this.runs.get(runId);
    if (!state) throw runNotFound(runId);
    const events: PersistedEvent[] = [];
    const r = state.run;
    if (r.status === 'running') {
      const lease = leaseOf(r);
      if (!ownerGone(lease, isAlive, now, Number.POSITIVE_INFINITY)) throw runOwned(runId, lease.ownerPid);
      events.push(...this.reap(state, now));
    }
    if (!isResumable(r.status)) throw notResumable(runId, r.status);
    const attempt = r.attempt + 1;
    Object.assign(r, { status: 'running', attempt, error: null, finishedAt: null, updatedAt: now, flowName: init.flowName, flowFile: init.flowFile, owner: { id: owner.id, pid: owner.pid, host: owner.host, heartbeatAt: now } });
    state.attempts.push(newAttempt(runId, attempt, init.flowSource, now, owner.pid, init.restartPhase));
    this.plan(state, init.start.phases, new Set(init.start.reused));
    events.push(...this.append(state, [{ type: 'run.started', attempt, resumed: true, ...init.start }], now));
    return { run: clone(r), events };
  }

  commit(runId: string, owner: Owner, facts: RunFact[], now: number): PersistedEvent[] {
    const state = this.runs.get(runId);
    if (!state) throw runNotFound(runId);
    if (state.run.status !== 'running' || state.run.owner?.id !== owner.id) throw leaseLost(runId);
    return this.append(state, facts, now);
  }

  heartbeat(runId: string, owner: Owner, now: number): boolean {
    const r = this.runs.get(runId)?.run;
    if (!r || r.status !== 'running' || r.owner?.id !== owner.id) return false;
    r.owner.heartbeatAt = now;
    return true;
  }

  reapOrphans(isAlive: OwnerProbe, now: number, staleMs: number): PersistedEvent[] {
    const events: PersistedEvent[] = [];
    const running = [...this.runs.values()].filter((s) => s.run.status === 'running').sort((a, b) => a.run.createdAt - b.run.createdAt || compareIds(a.run.id, b.run.id));
    for (const state of running) {
      if (ownerGone(leaseOf(state.run), isAlive, now, staleMs)) events.push(...this.reap(state, now));
    }
    return events;
  }

  recordProcess(process: PhaseProcess): void {
    const state = this.runs.get(process.runId);
    if (!state) throw runNotFound(process.runId);
    state.processes.set(processKey(process.host, process.pgid), { ...process });
  }

  forgetProcess(runId: string, host: string, pgid: number): void {
    this.runs.get(runId)?.processes.delete(processKey(host, pgid));
  }

  processesOf(runId: string): PhaseProcess[] {
    return clone([...(this.runs.get(runId)?.processes.values() ?? [])].sort(compareProcesses));
  }

  strayProcesses(host: string): PhaseProcess[] {
    const stopped = [...this.runs.values()].filter((s) => s.run.status !== 'running');
    return clone(stopped.flatMap((s) => [...s.processes.values()].filter((p) => p.host === host)).sort(compareProcesses));
  }

  getRun(runId: string): RunRecord | undefined {
    const r = this.runs.get(runId)?.run;
    return r && clone(r);
  }

  listRuns(limit: number): RunRecord[] {
    return [...this.runs.values()]
      .map((s) => s.run)
      .sort((a, b) => b.createdAt - a.createdAt || compareIds(b.id, a.id))
      .slice(0, limit)
      .map(clone);
  }

  getAttempts(runId: string): AttemptRecord[] {
    return clone(this.runs.get(runId)?.attempts ?? []);
  }

  getPhases(runId: string): PhaseRecord[] {
    const state = this.runs.get(runId);
    if (!state) return [];
    return [...state.phases.values()]
      .sort((a, b) => a.position - b.position)
      .map((p) => {
        const streams = state.tries.get(p.phaseId)?.get(p.attempts);
        return clone({
          ...p,
          output: p.status === 'succeeded' ? (state.results.get(p.phaseId)?.output ?? null) : null,
          stdoutTail: streams?.stdoutTail ?? null,
          stderrTail: streams?.stderrTail ?? null,
        });
      });
  }

  getPhaseResults(runId: string, skipVerify: ReadonlySet<string> = new Set()): Map<string, PhaseResult> {
    const out = new Map<string, PhaseResult>();
    const saved = [...(this.runs.get(runId)?.results ?? [])].sort(([a], [b]) => compareIds(a, b));
    for (const [id, { sha, ...result }] of saved) {
      if (!skipVerify.has(id) && sha256(result.output) !== sha) throw corruptResult(runId, id, 'its checksum does not match');
      out.set(id, clone(result));
    }
    return out;
  }

  readTranscript(runId: string, phaseId: string, fromIndex: number, limit: number): TranscriptEntry[] {
    const entries = [...(this.runs.get(runId)?.transcript.get(phaseId)?.values() ?? [])];
    return clone(entries.filter((e) => e.index >= fromIndex).sort((a, b) => a.index - b.index).slice(0, limit));
  }

  eventsSince(runId: string, afterSeq: number, limit: number): PersistedEvent[] {
    return clone((this.runs.get(runId)?.events ?? []).filter((e) => e.seq > afterSeq).slice(0, limit));
  }

  runsUpdatedSince(since: number): { id: string; lastSeq: number; updatedAt: number }[] {
    return [...this.runs.values()]
      .map((s) => s.run)
      .filter((r) => r.updatedAt > since)
      .sort((a, b) => a.updatedAt - b.updatedAt || compareIds(a.id, b.id))
      .map((r) => ({ id: r.id, lastSeq: r.lastSeq, updatedAt: r.updatedAt }));
  }

  close(): void {}

  /** Test hook: damages a saved output the way a bad disk or a hand edit would. */
  corruptResultForTest(runId: string, phaseId: string, output: string): void {
    const result = this.runs.get(runId)?.results.get(phaseId);
    if (result) result.output = output;
  }

  private plan(state: RunState, phases: NewRun['start']['phases'], reused: Set<string>): void {
    const planned = new Set(phases.map((p) => p.id));
    for (const id of state.phases.keys()) if (!planned.has(id)) state.phases.delete(id);
    phases.forEach((p, position) => {
      const prev = state.phases.get(p.id);
      const status = reused.has(p.id) ? 'succeeded' : 'pending';
      state.phases.set(p.id, {
        runId: state.run.id, phaseId: p.id, position, kind: p.kind, dependsOn: [...p.dependsOn], defHash: p.defHash, status,
        attempts: prev?.attempts ?? Math.max(0, ...(state.tries.get(p.id)?.keys() ?? [])),
        error: status === 'succeeded' ? (prev?.error ?? null) : null,
        startedAt: prev?.startedAt ?? null, finishedAt: prev?.finishedAt ?? null, exitCode: prev?.exitCode ?? null,
        output: null, stdoutTail: null, stderrTail: null, usage: prev?.usage ?? { inputTokens: 0, outputTokens: 0 },
      });
    });
  }

  private reap(state: RunState, now: number): PersistedEvent[] {
    const running = [...state.phases.values()]
      .filter((p) => p.status === 'running')
      .sort((a, b) => a.position - b.position)
      .map((p) => ({ phaseId: p.phaseId, attempt: p.attempts, startedAt: p.startedAt }));
    return this.append(state, reapFacts(state.run.attempt, running, state.run.owner?.pid ?? null, now), now);
  }

  /** All or nothing, like the SQLite transaction: the batch is checked before anything is applied. */
  private append(state: RunState, facts: RunFact[], now: number): PersistedEvent[] {
    validate(state, facts);
    state.run.updatedAt = now;
    return facts.map((fact) => {
      const copy = stored(fact);
      state.run.lastSeq += 1;
      this.apply(state, copy, now);
      const stamp = { runId: state.run.id, seq: state.run.lastSeq, at: now };
      state.events.push({ ...slimEvent(copy), ...stamp } as PersistedEvent);
      return { ...fact, ...stamp } as PersistedEvent;
    });
  }

  private apply(state: RunState, fact: RunFact, now: number): void {
    const r = state.run;
    switch (fact.type) {
      case 'run.started':
        return;
      case 'phase.started': {
        const p = mustPhase(state, fact.phaseId);
        Object.assign(p, { status: 'running', attempts: fact.attempt, startedAt: now, finishedAt: null, error: null, exitCode: null });
        triesOf(state, fact.phaseId).set(fact.attempt, { defHash: fact.defHash, stdoutTail: null, stderrTail: null });
        return;
      }
      case 'phase.finished': {
        const p = mustPhase(state, fact.phaseId);
        const tryState = fact.attempt > 0 ? state.tries.get(fact.phaseId)?.get(fact.attempt) : undefined;
        if (tryState) Object.assign(tryState, { stdoutTail: tail(fact.stdoutTail), stderrTail: tail(fact.stderrTail) });
        Object.assign(p, { status: fact.retryInMs !== undefined ? 'running' : fact.status, finishedAt: now, error: fact.error ?? null, exitCode: fact.exitCode ?? null });
        if (fact.status === 'succeeded' && tryState) {
          const output = fact.output ?? '';
          state.results.set(fact.phaseId, { phaseId: fact.phaseId, defHash: tryState.defHash, output, attempt: fact.attempt, completedAt: now, sha: sha256(output) });
        }
        return;
      }
      case 'transcript.appended': {
        const p = mustPhase(state, fact.phaseId);
        const usage = fact.usage ? { inputTokens: fact.usage.inputTokens, outputTokens: fact.usage.outputTokens } : null;
        transcriptOf(state, fact.phaseId).set(fact.index, { phaseId: fact.phaseId, index: fact.index, attempt: p.attempts, role: fact.role, content: fact.content ?? null, usage, at: now });
        if (usage) {
          for (const u of [p.usage, r.usage, state.attempts.find((a) => a.attempt === r.attempt)?.usage]) {
            if (!u) continue;
            u.inputTokens += usage.inputTokens;
            u.outputTokens += usage.outputTokens;
          }
        }
        return;
      }
      case 'run.finished': {
        Object.assign(r, { status: fact.status, error: fact.error ?? null, finishedAt: now, owner: null });
        const attempt = state.attempts.find((a) => a.attempt === fact.attempt);
        if (attempt) Object.assign(attempt, { status: fact.status, error: fact.error ?? null, finishedAt: now });
        for (const p of state.phases.values()) if (p.status === 'running') Object.assign(p, { status: 'interrupted', finishedAt: now });
        return;
      }
    }
  }
}
