/**
 * The SQLite checkpoint store (better-sqlite3). Statements are prepared once; every
 * write is one `BEGIN IMMEDIATE` transaction, so concurrent Waymark processes queue on
 * the busy timeout instead of failing, and a fact is durable when `commit` returns.
 */
import type { Database } from 'better-sqlite3';
import { slimEvent, type PersistedEvent, type RunFact } from '../../shared/events';
import type { AttemptRecord, PhaseRecord, PhaseResult, RunRecord, TranscriptEntry } from '../../shared/records';
import { isResumable } from '../../shared/status';
import { encodeJson, sha256, tail } from './codec';
import { openDatabase, type OpenOptions } from './database';
import { corruptResult, invalidFact, leaseLost, notResumable, ownerGone, type LeaseView, reapFacts, refusal, runExists, runNotFound, runOwned, shapeProblem } from './rules';
import { toAttempt, toEvent, toPhase, toProcess, toRun, toTranscript, type AttemptRow, type EventRow, type PhaseRow, type ProcessRow, type RunRow, type TranscriptRow } from './sqlite-rows';
import { prepareStatements, type Statements } from './sqlite-statements';
import type { CheckpointStore, NewAttempt, NewRun, Owner, OwnerProbe, PhaseProcess, RunStart } from './types';

/** How long writing a process row waits for another process's write lock. */
export const PROCESS_ROW_BUSY_MS = 250;

export class SqliteStore implements CheckpointStore {
  private readonly q: Statements;

  constructor(readonly db: Database) {
    this.q = prepareStatements(db);
  }

  static open(path: string, options?: OpenOptions): SqliteStore {
    return new SqliteStore(openDatabase(path, options));
  }

  createRun(init: NewRun, owner: Owner, now: number): RunStart {
    return this.db.transaction(() => {
      if (this.q.getRun.get(init.id)) throw runExists(init.id);
      this.q.insertRun.run({ id: init.id, flowName: init.flowName, flowFile: init.flowFile, inputs: encodeJson(init.inputs), now, ownerId: owner.id, ownerPid: owner.pid, ownerHost: owner.host });
      this.q.insertAttempt.run({ runId: init.id, attempt: 1, flowSource: init.flowSource, now, pid: owner.pid, restartPhase: null });
      init.start.phases.forEach((p, position) => {
        this.q.upsertPhase.run({ runId: init.id, phaseId: p.id, position, kind: p.kind, dependsOn: encodeJson(p.dependsOn), defHash: p.defHash, status: 'pending' });
      });
      const events = this.append(init.id, [{ type: 'run.started', attempt: 1, resumed: false, ...init.start }], now);
      return { run: this.mustGetRun(init.id), events };
    }).immediate();
  }

  beginAttempt(runId: string, init: NewAttempt, owner: Owner, now: number, isAlive: OwnerProbe): RunStart {
    return this.db.transaction(() => {
      let row = this.q.getRun.get(runId) as RunRow | undefined;
      if (!row) throw runNotFound(runId);
      const events: PersistedEvent[] = [];
      if (row.status === 'running') {
        if (!ownerGone(leaseOf(row), isAlive, now, Number.POSITIVE_INFINITY)) throw runOwned(runId, row.owner_pid);
        events.push(...this.reapRun(row, now));
        row = this.q.getRun.get(runId) as RunRow;
      }
      if (!isResumable(row.status)) throw notResumable(runId, row.status);
      const attempt = row.attempt + 1;
      this.q.startAttempt.run({ id: runId, attempt, now, ownerId: owner.id, ownerPid: owner.pid, ownerHost: owner.host, flowName: init.flowName, flowFile: init.flowFile });
      this.q.insertAttempt.run({ runId, attempt, flowSource: init.flowSource, now, pid: owner.pid, restartPhase: init.restartPhase });
      const planned = new Set(init.start.phases.map((p) => p.id));
      const reused = new Set(init.start.reused);
      for (const p of this.q.phaseIds.all(runId) as { phase_id: string }[]) {
        if (!planned.has(p.phase_id)) this.q.deletePhase.run(runId, p.phase_id);
      }
      init.start.phases.forEach((p, position) => {
        const status = reused.has(p.id) ? 'succeeded' : 'pending';
        this.q.upsertPhase.run({ runId, phaseId: p.id, position, kind: p.kind, dependsOn: encodeJson(p.dependsOn), defHash: p.defHash, status });
      });
      events.push(...this.append(runId, [{ type: 'run.started', attempt, resumed: true, ...init.start }], now));
      return { run: this.mustGetRun(runId), events };
    }).immediate();
  }

  commit(runId: string, owner: Owner, facts: RunFact[], now: number): PersistedEvent[] {
    return this.db.transaction(() => {
      const claimed = this.q.checkOwner.get(runId, owner.id) as { attempt: number } | undefined;
      if (!claimed) throw this.q.getRun.get(runId) ? leaseLost(runId) : runNotFound(runId);
      return this.append(runId, facts, now);
    }).immediate();
  }

  heartbeat(runId: string, owner: Owner, now: number): boolean {
    return this.q.heartbeat.run(now, runId, owner.id).changes === 1;
  }

  reapOrphans(isAlive: OwnerProbe, now: number, staleMs: number): PersistedEvent[] {
    return this.db.transaction(() => {
      const events: PersistedEvent[] = [];
      for (const row of this.q.runningRuns.all() as RunRow[]) {
        if (ownerGone(leaseOf(row), isAlive, now, staleMs)) events.push(...this.reapRun(row, now));
      }
      return events;
    }).immediate();
  }

  recordProcess(process: PhaseProcess): void {
    this.failingFast(() =>
      this.db.transaction(() => {
        if (!this.q.getRun.get(process.runId)) throw runNotFound(process.runId);
        const { runId, phaseId, attempt, host, pgid, startTime, startedAt } = process;
        this.q.recordProcess.run({ runId, phaseId, attempt, host, pgid, startTime, startedAt });
      }).immediate(),
    );
  }

  forgetProcess(runId: string, host: string, pgid: number): void {
    this.failingFast(() => this.q.forgetProcess.run(runId, host, pgid));
  }

  processesOf(runId: string): PhaseProcess[] {
    return (this.q.processesOf.all(runId) as ProcessRow[]).map(toProcess);
  }

  strayProcesses(host: string): PhaseProcess[] {
    return (this.q.strayProcesses.all(host) as ProcessRow[]).map(toProcess);
  }

  getRun(runId: string): RunRecord | undefined {
    const row = this.q.getRun.get(runId) as RunRow | undefined;
    return row && toRun(row);
  }

  listRuns(limit: number): RunRecord[] {
    return (this.q.listRuns.all(limit) as RunRow[]).map(toRun);
  }

  getAttempts(runId: string): AttemptRecord[] {
    return (this.q.attempts.all(runId) as AttemptRow[]).map(toAttempt);
  }

  getPhases(runId: string): PhaseRecord[] {
    return (this.q.phases.all(runId) as PhaseRow[]).map(toPhase);
  }

  getPhaseResults(runId: string, skipVerify: ReadonlySet<string> = new Set()): Map<string, PhaseResult> {
    const results = new Map<string, PhaseResult>();
    for (const row of this.q.results.all(runId) as ResultRow[]) {
      if (!skipVerify.has(row.phase_id)) {
        if (typeof row.output !== 'string') throw corruptResult(runId, row.phase_id, 'the output is not text');
        if (sha256(row.output) !== row.output_sha256) throw corruptResult(runId, row.phase_id, 'its checksum does not match');
      }
      results.set(row.phase_id, { phaseId: row.phase_id, defHash: row.def_hash, output: row.output as string, attempt: row.attempt, completedAt: row.completed_at });
    }
    return results;
  }

  readTranscript(runId: string, phaseId: string, fromIndex: number, limit: number): TranscriptEntry[] {
    return (this.q.transcript.all(runId, phaseId, fromIndex, limit) as TranscriptRow[]).map(toTranscript);
  }

  eventsSince(runId: string, afterSeq: number, limit: number): PersistedEvent[] {
    return (this.q.events.all(runId, afterSeq, limit) as EventRow[]).map(toEvent);
  }

  runsUpdatedSince(since: number): { id: string; lastSeq: number; updatedAt: number }[] {
    return (this.q.updatedSince.all(since) as { id: string; last_seq: number; updated_at: number }[]).map((r) => ({ id: r.id, lastSeq: r.last_seq, updatedAt: r.updated_at }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /**
   * Process rows are written in the middle of a phase, on the caller's thread: behind
   * another process's lock they fail after PROCESS_ROW_BUSY_MS (SQLITE_BUSY) instead of
   * stalling the run for the full busy timeout. The caller reports or ignores the failure.
   */
  private failingFast<T>(write: () => T): T {
    const usual = this.db.pragma('busy_timeout', { simple: true }) as number;
    this.db.pragma(`busy_timeout = ${PROCESS_ROW_BUSY_MS}`);
    try {
      return write();
    } finally {
      this.db.pragma(`busy_timeout = ${usual}`);
    }
  }

  private mustGetRun(runId: string): RunRecord {
    return toRun(this.q.getRun.get(runId) as RunRow);
  }

  private reapRun(row: RunRow, now: number): PersistedEvent[] {
    const running = (this.q.runningPhases.all(row.id) as { phase_id: string; attempts: number; started_at: number | null }[]).map((p) => ({ phaseId: p.phase_id, attempt: p.attempts, startedAt: p.started_at }));
    return this.append(row.id, reapFacts(row.attempt, running, row.owner_pid, now), now);
  }

  /** Applies facts and appends them to the event log; must run inside a transaction. */
  private append(runId: string, facts: RunFact[], now: number): PersistedEvent[] {
    const { last_seq: last, attempt } = this.q.claimSeq.get(facts.length, now, runId) as { last_seq: number; attempt: number };
    let seq = last - facts.length;
    return facts.map((fact) => {
      seq += 1;
      this.apply(runId, attempt, fact, now);
      const slim = slimEvent(fact);
      this.q.insertEvent.run(runId, seq, fact.type, JSON.stringify(slim), now);
      return { ...fact, runId, seq, at: now };
    });
  }

  /** Applies one fact; throws (rolling back the whole batch) when it contradicts the saved run. */
  private apply(runId: string, attempt: number, fact: RunFact, now: number): void {
    const q = this.q;
    const problem = shapeProblem(fact);
    if (problem) throw invalidFact(runId, problem);
    switch (fact.type) {
      case 'run.started':
        return;
      case 'phase.started': {
        const { phaseId } = fact;
        if (q.phaseStarted.run({ runId, phaseId, attempts: fact.attempt, now }).changes !== 1) throw invalidFact(runId, refusal.unknownPhase(phaseId));
        const inserted = q.insertPhaseAttempt.run({ runId, phaseId, attempt: fact.attempt, runAttempt: fact.runAttempt, defHash: fact.defHash, now });
        if (inserted.changes !== 1) throw invalidFact(runId, refusal.startedTwice(phaseId, fact.attempt));
        return;
      }
      case 'phase.finished': {
        const { phaseId } = fact;
        const error = fact.error ? encodeJson(fact.error) : null;
        const exitCode = fact.exitCode ?? null;
        const status = fact.retryInMs !== undefined ? 'running' : fact.status;
        if (q.phaseFinished.run({ runId, phaseId, status, now, error, exitCode }).changes !== 1) throw invalidFact(runId, refusal.unknownPhase(phaseId));
        if (fact.attempt > 0) {
          q.endPhaseAttempt.run({ runId, phaseId, attempt: fact.attempt, status: fact.status, now, error, exitCode, stdoutTail: tail(fact.stdoutTail), stderrTail: tail(fact.stderrTail) });
        }
        if (fact.status === 'succeeded') {
          const output = fact.output ?? '';
          const saved = q.saveResult.run({ runId, phaseId, attempt: fact.attempt, output, sha: sha256(output), now });
          if (saved.changes !== 1) throw invalidFact(runId, refusal.notStarted(phaseId, fact.attempt));
        }
        return;
      }
      case 'transcript.appended': {
        const { phaseId } = fact;
        const usage = fact.usage ?? null;
        const row = { runId, phaseId, idx: fact.index, role: fact.role, content: encodeJson(fact.content), inTok: usage?.inputTokens ?? null, outTok: usage?.outputTokens ?? null, now };
        if (q.insertTranscript.run(row).changes !== 1) {
          throw invalidFact(runId, q.phaseExists.get(runId, phaseId) ? refusal.indexTaken(phaseId, fact.index) : refusal.unknownPhase(phaseId));
        }
        if (usage) {
          const tokens = { runId, phaseId, attempt, inTok: usage.inputTokens, outTok: usage.outputTokens };
          q.addUsagePhaseAttempt.run(tokens);
          q.addUsagePhase.run(tokens);
          q.addUsageAttempt.run(tokens);
          q.addUsageRun.run(tokens);
        }
        return;
      }
      case 'run.finished': {
        const error = fact.error ? encodeJson(fact.error) : null;
        q.finishRun.run({ runId, status: fact.status, error, now });
        q.finishAttempt.run({ runId, attempt: fact.attempt, status: fact.status, error, now });
        q.interruptPhaseAttempts.run({ runId, now });
        q.interruptPhases.run({ runId, now });
        return;
      }
    }
  }
}

const leaseOf = (row: RunRow): LeaseView => ({ ownerPid: row.owner_pid, ownerHost: row.owner_host, heartbeatAt: row.heartbeat_at });

interface ResultRow {
  phase_id: string;
  def_hash: string;
  output: unknown;
  output_sha256: string;
  attempt: number;
  completed_at: number;
}
