/**
 * The SQLite checkpoint store (better-sqlite3). Statements are prepared once; every
 * write is one `BEGIN IMMEDIATE` transaction, so concurrent Waymark processes queue on
 * the busy timeout instead of failing, and a fact is durable when `commit` returns.
 */
import type { Database, Statement } from 'better-sqlite3';
import { slimEvent, type PersistedEvent, type RunFact } from '../../shared/events';
import type { AttemptRecord, PhaseRecord, PhaseResult, RunRecord, TranscriptEntry } from '../../shared/records';
import { isResumable } from '../../shared/status';
import { encodeJson, sha256, tail } from './codec';
import { openDatabase, type OpenOptions } from './database';
import { corruptResult, leaseLost, notResumable, ownerGone, reapFacts, runNotFound, runOwned } from './rules';
import { toAttempt, toEvent, toPhase, toRun, toTranscript, type AttemptRow, type EventRow, type PhaseRow, type RunRow, type TranscriptRow } from './sqlite-rows';
import type { CheckpointStore, NewAttempt, NewRun, Owner, RunStart } from './types';

export class SqliteStore implements CheckpointStore {
  private readonly q: ReturnType<typeof prepare>;

  constructor(readonly db: Database) {
    this.q = prepare(db);
  }

  static open(path: string, options?: OpenOptions): SqliteStore {
    return new SqliteStore(openDatabase(path, options));
  }

  createRun(init: NewRun, owner: Owner, now: number): RunStart {
    return this.db.transaction(() => {
      this.q.insertRun.run({ id: init.id, flowName: init.flowName, flowFile: init.flowFile, inputs: encodeJson(init.inputs), now, ownerId: owner.id, ownerPid: owner.pid });
      this.q.insertAttempt.run({ runId: init.id, attempt: 1, flowSource: init.flowSource, now, pid: owner.pid, restartPhase: null });
      init.start.phases.forEach((p, position) => {
        this.q.upsertPhase.run({ runId: init.id, phaseId: p.id, position, kind: p.kind, dependsOn: encodeJson(p.dependsOn), defHash: p.defHash, status: 'pending' });
      });
      const events = this.append(init.id, [{ type: 'run.started', attempt: 1, resumed: false, ...init.start }], now);
      return { run: this.mustGetRun(init.id), events };
    }).immediate();
  }

  beginAttempt(runId: string, init: NewAttempt, owner: Owner, now: number, isAlive: (pid: number) => boolean): RunStart {
    return this.db.transaction(() => {
      let row = this.q.getRun.get(runId) as RunRow | undefined;
      if (!row) throw runNotFound(runId);
      const events: PersistedEvent[] = [];
      if (row.status === 'running') {
        if (!ownerGone({ ownerPid: row.owner_pid, heartbeatAt: row.heartbeat_at }, isAlive, now, Number.POSITIVE_INFINITY)) throw runOwned(runId, row.owner_pid);
        events.push(...this.reapRun(row, now));
        row = this.q.getRun.get(runId) as RunRow;
      }
      if (!isResumable(row.status)) throw notResumable(runId, row.status);
      const attempt = row.attempt + 1;
      this.q.startAttempt.run({ id: runId, attempt, now, ownerId: owner.id, ownerPid: owner.pid, flowName: init.flowName, flowFile: init.flowFile });
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

  reapOrphans(isAlive: (pid: number) => boolean, now: number, staleMs: number): PersistedEvent[] {
    return this.db.transaction(() => {
      const events: PersistedEvent[] = [];
      for (const row of this.q.runningRuns.all() as RunRow[]) {
        if (ownerGone({ ownerPid: row.owner_pid, heartbeatAt: row.heartbeat_at }, isAlive, now, staleMs)) events.push(...this.reapRun(row, now));
      }
      return events;
    }).immediate();
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

  private apply(runId: string, attempt: number, fact: RunFact, now: number): void {
    const q = this.q;
    switch (fact.type) {
      case 'run.started':
        return;
      case 'phase.started':
        q.phaseStarted.run({ runId, phaseId: fact.phaseId, attempts: fact.attempt, now });
        q.insertPhaseAttempt.run({ runId, phaseId: fact.phaseId, attempt: fact.attempt, runAttempt: fact.runAttempt, defHash: fact.defHash, now });
        return;
      case 'phase.finished': {
        const error = fact.error ? encodeJson(fact.error) : null;
        const exitCode = fact.exitCode ?? null;
        if (fact.attempt > 0) {
          q.endPhaseAttempt.run({ runId, phaseId: fact.phaseId, attempt: fact.attempt, status: fact.status, now, error, exitCode, stdoutTail: tail(fact.stdoutTail), stderrTail: tail(fact.stderrTail) });
        }
        const status = fact.retryInMs !== undefined ? 'running' : fact.status;
        q.phaseFinished.run({ runId, phaseId: fact.phaseId, status, now, error, exitCode });
        if (fact.status === 'succeeded') {
          const output = fact.output ?? '';
          const saved = q.saveResult.run({ runId, phaseId: fact.phaseId, attempt: fact.attempt, output, sha: sha256(output), now });
          if (saved.changes !== 1) throw new Error(`phase ${fact.phaseId} finished try ${fact.attempt} that was never started`);
        }
        return;
      }
      case 'transcript.appended': {
        const usage = fact.usage ?? null;
        q.insertTranscript.run({ runId, phaseId: fact.phaseId, idx: fact.index, role: fact.role, content: encodeJson(fact.content), inTok: usage?.inputTokens ?? null, outTok: usage?.outputTokens ?? null, now });
        if (usage) {
          const tokens = { runId, phaseId: fact.phaseId, attempt, inTok: usage.inputTokens, outTok: usage.outputTokens };
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

interface ResultRow {
  phase_id: string;
  def_hash: string;
  output: unknown;
  output_sha256: string;
  attempt: number;
  completed_at: number;
}

function prepare(db: Database) {
  const p = (sql: string): Statement => db.prepare(sql);
  return {
    insertRun: p(`INSERT INTO runs (id, flow_name, flow_file, status, inputs_json, created_at, updated_at, attempt, last_seq, owner_id, owner_pid, heartbeat_at)
                  VALUES (@id, @flowName, @flowFile, 'running', @inputs, @now, @now, 1, 0, @ownerId, @ownerPid, @now)`),
    insertAttempt: p(`INSERT INTO run_attempts (run_id, attempt, flow_source, started_at, status, pid, restart_phase)
                      VALUES (@runId, @attempt, @flowSource, @now, 'running', @pid, @restartPhase)`),
    startAttempt: p(`UPDATE runs SET status = 'running', attempt = @attempt, error_json = NULL, finished_at = NULL, updated_at = @now,
                       owner_id = @ownerId, owner_pid = @ownerPid, heartbeat_at = @now, flow_name = @flowName, flow_file = @flowFile WHERE id = @id`),
    upsertPhase: p(`INSERT INTO run_phases (run_id, phase_id, position, kind, depends_on_json, def_hash, status)
                    VALUES (@runId, @phaseId, @position, @kind, @dependsOn, @defHash, @status)
                    ON CONFLICT (run_id, phase_id) DO UPDATE SET position = excluded.position, kind = excluded.kind,
                      depends_on_json = excluded.depends_on_json, def_hash = excluded.def_hash, status = excluded.status,
                      error_json = CASE WHEN excluded.status = 'succeeded' THEN run_phases.error_json ELSE NULL END`),
    phaseIds: p(`SELECT phase_id FROM run_phases WHERE run_id = ?`),
    deletePhase: p(`DELETE FROM run_phases WHERE run_id = ? AND phase_id = ?`),
    checkOwner: p(`SELECT attempt FROM runs WHERE id = ? AND owner_id = ? AND status = 'running'`),
    claimSeq: p(`UPDATE runs SET last_seq = last_seq + ?, updated_at = ? WHERE id = ? RETURNING last_seq, attempt`),
    heartbeat: p(`UPDATE runs SET heartbeat_at = ? WHERE id = ? AND owner_id = ? AND status = 'running'`),
    runningRuns: p(`SELECT * FROM runs WHERE status = 'running'`),
    runningPhases: p(`SELECT phase_id, attempts, started_at FROM run_phases WHERE run_id = ? AND status = 'running'`),
    getRun: p(`SELECT * FROM runs WHERE id = ?`),
    listRuns: p(`SELECT * FROM runs ORDER BY created_at DESC, id DESC LIMIT ?`),
    attempts: p(`SELECT * FROM run_attempts WHERE run_id = ? ORDER BY attempt`),
    phases: p(`SELECT rp.*, pr.output AS output, pa.stdout_tail AS stdout_tail, pa.stderr_tail AS stderr_tail
               FROM run_phases rp
               LEFT JOIN phase_results pr ON pr.run_id = rp.run_id AND pr.phase_id = rp.phase_id AND rp.status = 'succeeded'
               LEFT JOIN phase_attempts pa ON pa.run_id = rp.run_id AND pa.phase_id = rp.phase_id AND pa.attempt = rp.attempts
               WHERE rp.run_id = ? ORDER BY rp.position`),
    results: p(`SELECT phase_id, def_hash, output, output_sha256, attempt, completed_at FROM phase_results WHERE run_id = ?`),
    transcript: p(`SELECT * FROM transcript WHERE run_id = ? AND phase_id = ? AND idx >= ? ORDER BY idx LIMIT ?`),
    events: p(`SELECT * FROM events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?`),
    updatedSince: p(`SELECT id, last_seq, updated_at FROM runs WHERE updated_at > ? ORDER BY updated_at`),
    insertEvent: p(`INSERT INTO events (run_id, seq, type, payload_json, at) VALUES (?, ?, ?, ?, ?)`),
    phaseStarted: p(`UPDATE run_phases SET status = 'running', attempts = @attempts, started_at = @now, finished_at = NULL, error_json = NULL, exit_code = NULL
                     WHERE run_id = @runId AND phase_id = @phaseId`),
    insertPhaseAttempt: p(`INSERT INTO phase_attempts (run_id, phase_id, attempt, run_attempt, def_hash, status, started_at)
                           VALUES (@runId, @phaseId, @attempt, @runAttempt, @defHash, 'running', @now)`),
    endPhaseAttempt: p(`UPDATE phase_attempts SET status = @status, finished_at = @now, error_json = @error, exit_code = @exitCode,
                          stdout_tail = @stdoutTail, stderr_tail = @stderrTail
                        WHERE run_id = @runId AND phase_id = @phaseId AND attempt = @attempt`),
    phaseFinished: p(`UPDATE run_phases SET status = @status, finished_at = @now, error_json = @error, exit_code = @exitCode
                      WHERE run_id = @runId AND phase_id = @phaseId`),
    saveResult: p(`INSERT OR REPLACE INTO phase_results (run_id, phase_id, def_hash, output, output_sha256, attempt, completed_at)
                   SELECT run_id, phase_id, def_hash, @output, @sha, attempt, @now FROM phase_attempts
                   WHERE run_id = @runId AND phase_id = @phaseId AND attempt = @attempt`),
    insertTranscript: p(`INSERT INTO transcript (run_id, phase_id, idx, attempt, role, content_json, input_tokens, output_tokens, at)
                         SELECT @runId, @phaseId, @idx, attempts, @role, @content, @inTok, @outTok, @now FROM run_phases
                         WHERE run_id = @runId AND phase_id = @phaseId`),
    addUsagePhaseAttempt: p(`UPDATE phase_attempts SET input_tokens = input_tokens + @inTok, output_tokens = output_tokens + @outTok
                             WHERE run_id = @runId AND phase_id = @phaseId AND attempt = (SELECT attempts FROM run_phases WHERE run_id = @runId AND phase_id = @phaseId)`),
    addUsagePhase: p(`UPDATE run_phases SET input_tokens = input_tokens + @inTok, output_tokens = output_tokens + @outTok WHERE run_id = @runId AND phase_id = @phaseId`),
    addUsageAttempt: p(`UPDATE run_attempts SET input_tokens = input_tokens + @inTok, output_tokens = output_tokens + @outTok WHERE run_id = @runId AND attempt = @attempt`),
    addUsageRun: p(`UPDATE runs SET input_tokens = input_tokens + @inTok, output_tokens = output_tokens + @outTok WHERE id = @runId`),
    finishRun: p(`UPDATE runs SET status = @status, error_json = @error, finished_at = @now, updated_at = @now, owner_id = NULL, owner_pid = NULL, heartbeat_at = NULL
                  WHERE id = @runId`),
    finishAttempt: p(`UPDATE run_attempts SET status = @status, error_json = @error, finished_at = @now WHERE run_id = @runId AND attempt = @attempt`),
    interruptPhaseAttempts: p(`UPDATE phase_attempts SET status = 'interrupted', finished_at = @now WHERE run_id = @runId AND status = 'running'`),
    interruptPhases: p(`UPDATE run_phases SET status = 'interrupted', finished_at = @now WHERE run_id = @runId AND status = 'running'`),
  };
}
