/**
 * The writes of the SQLite store, run by the writer thread on its connection, each
 * inside the transaction (and savepoint) group-commit.ts holds for it. A request that
 * throws is rolled back alone; its error reaches only its own caller.
 *
 * Decisions that need a function of the calling side (is an owner's pid alive?) arrive
 * made, as a SeenLease: the writer acts on them only if the lease is still the one the
 * caller saw, so a run whose owner heartbeated or changed in between is left alone.
 */
import type { Database } from 'better-sqlite3';
import type { PersistedEvent, RunFact, RunStartedEvent } from '../../shared/events';
import { assertNever, isResumable } from '../../shared/status';
import { encodeBudget, encodeJson } from './codec';
import { leaseLost, notResumable, requeueVerdict, runExists, runNotFound, runOwned } from './rules';
import { SqliteFacts } from './sqlite-facts';
import { claimQueued, enqueueResume, enqueueRun, queueViewOf, requeueReaped } from './sqlite-queue';
import { SqliteReads } from './sqlite-reads';
import { toRun, type RunRow } from './sqlite-rows';
import type { Statements } from './sqlite-statements';
import type { SeenLease, WriteRequest } from './sqlite-writer-protocol';
import { idleCancelFacts } from './cancel-rules';
import { decisionFacts, decidePhaseOf, type DecidePhaseRow } from './decide-rules';
import { rerunOutputs, rerunReuse } from './rerun-rules';
import type { DecisionRequest, NewAttempt, NewRun, Owner, PhaseProcess, RunStart } from './types';

/** The requests that run inside a transaction (the others are handled by group-commit.ts). */
export type TxRequest = Exclude<WriteRequest, { op: 'pragma' } | { op: 'stats' }>;

export class SqliteWrites {
  private readonly facts: SqliteFacts;
  private readonly reads: SqliteReads;

  constructor(
    readonly db: Database,
    private readonly q: Statements,
  ) {
    this.facts = new SqliteFacts(q);
    this.reads = new SqliteReads(q);
  }

  execute(request: TxRequest): unknown {
    switch (request.op) {
      case 'createRun':
        return this.createRun(request.init, request.owner, request.now);
      case 'beginAttempt':
        return this.beginAttempt(request.runId, request.init, request.owner, request.now, request.gone);
      case 'commit':
        return this.commit(request.runId, request.owner, request.facts, request.now);
      case 'heartbeat':
        return this.q.heartbeat.run(request.now, request.runId, request.owner.id).changes === 1;
      case 'reap':
        return this.reap(request.gone, request.now);
      case 'recordProcess':
        return this.recordProcess(request.process);
      case 'forgetProcess':
        this.q.forgetProcess.run(request.runId, request.host, request.pgid);
        return undefined;
      case 'enqueueRun':
        return enqueueRun(this.db, request.init, request.now);
      case 'enqueueResume':
        return enqueueResume(this.db, request.runId, request.resume, request.now);
      case 'claimQueued':
        return claimQueued(this.db, request.owner, request.now);
      case 'decide':
        return this.decide(request.runId, request.request, request.now);
      case 'cancelIdle':
        return this.cancelIdle(request.runId, request.now);
      case 'read':
        return (this.reads[request.name] as (...args: unknown[]) => unknown).apply(this.reads, request.args);
      default:
        return assertNever(request);
    }
  }

  private createRun(init: NewRun, owner: Owner, now: number): RunStart {
    if (this.q.getRun.get(init.id)) throw runExists(init.id);
    const origin = { rerunOfRunId: init.rerunOf?.runId ?? null, rerunOfPhase: init.rerunOf?.phase ?? null };
    this.q.insertRun.run({ id: init.id, flowName: init.start.flowName, flowFile: init.flowFile, inputs: encodeJson(init.inputs), now, ownerId: owner.id, ownerPid: owner.pid, ownerHost: owner.host, ...origin });
    this.q.insertAttempt.run({ runId: init.id, attempt: 1, flowSource: init.flowSource, now, pid: owner.pid, restartPhase: null, budget: encodeBudget(init.start.budget) });
    const reused = new Set(init.start.reused);
    init.start.phases.forEach((p, position) => {
      this.q.upsertPhase.run({ runId: init.id, phaseId: p.id, position, kind: p.kind, dependsOn: encodeJson(p.dependsOn), defHash: p.defHash, status: reused.has(p.id) ? 'succeeded' : 'pending' });
    });
    const outputs = this.copyReused(init);
    const events = this.facts.append(init.id, [{ type: 'run.started', attempt: 1, resumed: false, ...init.start, ...outputs }], now);
    return { run: this.mustGetRun(init.id), events };
  }

  /** A rerun's reused phases: the results of the run it came from, copied into it (rerun-rules.ts). */
  private copyReused(init: NewRun): Pick<RunStartedEvent, 'outputs'> {
    const reused = rerunReuse(init);
    if (!reused || !init.rerunOf) return {};
    this.q.copyResults.run({ runId: init.id, fromRunId: init.rerunOf.runId, phases: JSON.stringify(reused) });
    const copied = (this.q.results.all(init.id) as { phase_id: string; output: unknown }[]).filter((r) => typeof r.output === 'string');
    return rerunOutputs(init, new Map(copied.map((r) => [r.phase_id, r.output as string])));
  }

  private beginAttempt(runId: string, init: NewAttempt, owner: Owner, now: number, gone: SeenLease | null): RunStart {
    let row = this.q.getRun.get(runId) as RunRow | undefined;
    if (!row) throw runNotFound(runId);
    const events: PersistedEvent[] = [];
    // A run `owner` claimed from the queue (claimQueued) is its to begin.
    const claimed = row.status === 'running' && row.owner_id === owner.id;
    if (row.status === 'running' && !claimed) {
      if (!gone || !unchanged(row, gone)) throw runOwned(runId, row.owner_pid);
      events.push(...this.facts.reapRun(row, now));
      row = this.q.getRun.get(runId) as RunRow;
    }
    if (!claimed && !isResumable(row.status)) throw notResumable(runId, row.status);
    const attempt = row.attempt + 1;
    this.q.startAttempt.run({ id: runId, attempt, now, ownerId: owner.id, ownerPid: owner.pid, ownerHost: owner.host, flowName: init.start.flowName, flowFile: init.flowFile });
    this.q.insertAttempt.run({ runId, attempt, flowSource: init.flowSource, now, pid: owner.pid, restartPhase: init.restartPhase, budget: encodeBudget(init.start.budget) });
    const planned = new Set(init.start.phases.map((p) => p.id));
    const reused = new Set(init.start.reused);
    const extras = this.facts.startExtras(runId, init.start);
    for (const p of this.q.phaseIds.all(runId) as { phase_id: string }[]) {
      if (!planned.has(p.phase_id)) this.q.deletePhase.run(runId, p.phase_id);
    }
    init.start.phases.forEach((p, position) => {
      const status = reused.has(p.id) ? 'succeeded' : 'pending';
      this.q.upsertPhase.run({ runId, phaseId: p.id, position, kind: p.kind, dependsOn: encodeJson(p.dependsOn), defHash: p.defHash, status });
    });
    events.push(...this.facts.append(runId, [{ type: 'run.started', attempt, resumed: attempt > 1, ...init.start, ...extras }], now));
    return { run: this.mustGetRun(runId), events };
  }

  private commit(runId: string, owner: Owner, facts: RunFact[], now: number): PersistedEvent[] {
    const claimed = this.q.checkOwner.get(runId, owner.id) as { attempt: number } | undefined;
    if (!claimed) throw this.q.getRun.get(runId) ? leaseLost(runId) : runNotFound(runId);
    return this.facts.append(runId, facts, now);
  }

  private reap(gone: SeenLease[], now: number): PersistedEvent[] {
    const events: PersistedEvent[] = [];
    for (const seen of gone) {
      const row = this.q.getRun.get(seen.runId) as RunRow | undefined;
      if (!row || row.status !== 'running' || !unchanged(row, seen)) continue;
      // A worker's run is queued again (at most MAX_REQUEUES times, rules.ts).
      const verdict = requeueVerdict(queueViewOf(row));
      events.push(...this.facts.reapRun(row, now, verdict.requeue ? undefined : verdict.note));
      if (verdict.requeue) events.push(...requeueReaped(this.db, row.id, verdict.requeues, now));
    }
    return events;
  }

  /** Inside the writer's BEGIN IMMEDIATE: no other process can decide in between (decide-rules.ts). */
  private decide(runId: string, request: DecisionRequest, now: number): PersistedEvent[] {
    const row = this.q.getRun.get(runId) as RunRow | undefined;
    const run = row && { id: row.id, status: row.status, attempt: row.attempt, ownerPid: row.owner_pid, ownerHost: row.owner_host };
    const ids = (this.q.plannedIds.all(runId) as { phase_id: string }[]).map((p) => p.phase_id);
    const phaseRow = this.q.decidePhase.get(runId, request.phaseId) as DecidePhaseRow | undefined;
    const phase = phaseRow && decidePhaseOf(phaseRow);
    return this.facts.append(runId, decisionFacts(runId, run, ids, phase, request, now), now);
  }

  /** Inside the writer's BEGIN IMMEDIATE, like decide (cancel-rules.ts). */
  private cancelIdle(runId: string, now: number): PersistedEvent[] {
    const row = this.q.getRun.get(runId) as RunRow | undefined;
    const facts = idleCancelFacts(runId, row && { status: row.status, attempt: row.attempt, ownerPid: row.owner_pid });
    return facts.length > 0 ? this.facts.append(runId, facts, now) : [];
  }

  private recordProcess(process: PhaseProcess): void {
    if (!this.q.getRun.get(process.runId)) throw runNotFound(process.runId);
    const { runId, phaseId, attempt, host, pgid, startTime, startedAt } = process;
    this.q.recordProcess.run({ runId, phaseId, attempt, host, pgid, startTime, startedAt });
  }

  private mustGetRun(runId: string) {
    return toRun(this.q.getRun.get(runId) as RunRow);
  }
}

/** Is the run's lease still the one the caller judged: same owner, no heartbeat since? */
function unchanged(row: RunRow, seen: SeenLease): boolean {
  if (row.owner_id !== seen.ownerId) return false;
  if (row.heartbeat_at === null) return true;
  return seen.heartbeatAt !== null && row.heartbeat_at <= seen.heartbeatAt;
}
