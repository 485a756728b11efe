/**
 * Every SQL statement of the SQLite store, prepared once per connection (STYLE rule 11).
 * Reads that return several rows have a total ORDER BY: the memory store sorts the same
 * way, so both implementations answer in the same order.
 */
import type { Database, Statement } from 'better-sqlite3';

export type Statements = ReturnType<typeof prepareStatements>;

export function prepareStatements(db: Database) {
  const p = (sql: string): Statement => db.prepare(sql);
  return {
    insertRun: p(`INSERT INTO runs (id, flow_name, flow_file, status, inputs_json, created_at, updated_at, attempt, last_seq, owner_id, owner_pid, owner_host, heartbeat_at)
                  VALUES (@id, @flowName, @flowFile, 'running', @inputs, @now, @now, 1, 0, @ownerId, @ownerPid, @ownerHost, @now)`),
    insertAttempt: p(`INSERT INTO run_attempts (run_id, attempt, flow_source, started_at, status, pid, restart_phase)
                      VALUES (@runId, @attempt, @flowSource, @now, 'running', @pid, @restartPhase)`),
    startAttempt: p(`UPDATE runs SET status = 'running', attempt = @attempt, error_json = NULL, finished_at = NULL, updated_at = @now,
                       owner_id = @ownerId, owner_pid = @ownerPid, owner_host = @ownerHost, heartbeat_at = @now, flow_name = @flowName, flow_file = @flowFile WHERE id = @id`),
    // A phase that comes back into the plan after an attempt without it keeps counting
    // its tries from its history, so its next try never reuses a try number.
    upsertPhase: p(`INSERT INTO run_phases (run_id, phase_id, position, kind, depends_on_json, def_hash, status, attempts)
                    VALUES (@runId, @phaseId, @position, @kind, @dependsOn, @defHash, @status,
                      (SELECT COALESCE(MAX(attempt), 0) FROM phase_attempts WHERE run_id = @runId AND phase_id = @phaseId))
                    ON CONFLICT (run_id, phase_id) DO UPDATE SET position = excluded.position, kind = excluded.kind,
                      depends_on_json = excluded.depends_on_json, def_hash = excluded.def_hash, status = excluded.status,
                      error_json = CASE WHEN excluded.status = 'succeeded' THEN run_phases.error_json ELSE NULL END`),
    phaseIds: p(`SELECT phase_id FROM run_phases WHERE run_id = ?`),
    phaseExists: p(`SELECT 1 FROM run_phases WHERE run_id = ? AND phase_id = ?`),
    deletePhase: p(`DELETE FROM run_phases WHERE run_id = ? AND phase_id = ?`),
    checkOwner: p(`SELECT attempt FROM runs WHERE id = ? AND owner_id = ? AND status = 'running'`),
    claimSeq: p(`UPDATE runs SET last_seq = last_seq + ?, updated_at = ? WHERE id = ? RETURNING last_seq, attempt`),
    heartbeat: p(`UPDATE runs SET heartbeat_at = ? WHERE id = ? AND owner_id = ? AND status = 'running'`),
    runningRuns: p(`SELECT * FROM runs WHERE status = 'running' ORDER BY created_at, id`),
    runningPhases: p(`SELECT phase_id, attempts, started_at FROM run_phases WHERE run_id = ? AND status = 'running' ORDER BY position`),
    getRun: p(`SELECT * FROM runs WHERE id = ?`),
    listRuns: p(`SELECT * FROM runs WHERE (@status IS NULL OR status = @status) ORDER BY created_at DESC, id DESC LIMIT @limit`),
    attempts: p(`SELECT * FROM run_attempts WHERE run_id = ? ORDER BY attempt`),
    // A phase shows the tails of its latest try, unless it came back into the plan and has
    // not started since (started_at NULL): then it starts afresh, as shared/run-reducer.ts says.
    phases: p(`SELECT rp.*, pr.output AS output, pa.stdout_tail AS stdout_tail, pa.stderr_tail AS stderr_tail
               FROM run_phases rp
               LEFT JOIN phase_results pr ON pr.run_id = rp.run_id AND pr.phase_id = rp.phase_id AND rp.status = 'succeeded'
               LEFT JOIN phase_attempts pa ON pa.run_id = rp.run_id AND pa.phase_id = rp.phase_id AND pa.attempt = rp.attempts AND rp.started_at IS NOT NULL
               WHERE rp.run_id = ? ORDER BY rp.position`),
    triesOf: p(`SELECT phase_id, MAX(attempt) AS tries FROM phase_attempts WHERE run_id = ? GROUP BY phase_id`),
    results: p(`SELECT phase_id, def_hash, output, output_sha256, attempt, completed_at FROM phase_results WHERE run_id = ? ORDER BY phase_id`),
    transcript: p(`SELECT * FROM transcript WHERE run_id = ? AND phase_id = ? AND idx >= ? ORDER BY idx LIMIT ?`),
    // The log is slim (shared/events.ts): join back the tails of the try a phase.finished
    // ended, its output if that try's result is still the saved one, and the outputs a
    // run.started reused that are still saved (not replaced by a later success).
    events: p(`SELECT e.*, pa.stdout_tail AS stdout_tail, pa.stderr_tail AS stderr_tail,
                 CASE WHEN typeof(pr.output) = 'text' THEN pr.output END AS output,
                 CASE WHEN e.type = 'run.started' THEN (
                   SELECT json_group_object(r.phase_id, r.output) FROM phase_results r
                   WHERE r.run_id = e.run_id AND typeof(r.output) = 'text' AND r.completed_at <= e.at
                     AND r.phase_id IN (SELECT value FROM json_each(e.payload_json, '$.reused'))
                 ) END AS outputs_json
               FROM events e
               LEFT JOIN phase_attempts pa ON e.type = 'phase.finished' AND pa.run_id = e.run_id
                 AND pa.phase_id = json_extract(e.payload_json, '$.phaseId') AND pa.attempt = json_extract(e.payload_json, '$.attempt')
               LEFT JOIN phase_results pr ON e.type = 'phase.finished' AND json_extract(e.payload_json, '$.status') = 'succeeded'
                 AND pr.run_id = e.run_id AND pr.phase_id = json_extract(e.payload_json, '$.phaseId') AND pr.attempt = json_extract(e.payload_json, '$.attempt')
               WHERE e.run_id = ? AND e.seq > ? ORDER BY e.seq LIMIT ?`),
    updatedSince: p(`SELECT id, last_seq, updated_at FROM runs WHERE updated_at > ? ORDER BY updated_at, id`),
    insertEvent: p(`INSERT INTO events (run_id, seq, type, payload_json, at) VALUES (?, ?, ?, ?, ?)`),
    phaseStarted: p(`UPDATE run_phases SET status = 'running', attempts = @attempts, started_at = @now, finished_at = NULL, error_json = NULL, exit_code = NULL
                     WHERE run_id = @runId AND phase_id = @phaseId`),
    insertPhaseAttempt: p(`INSERT INTO phase_attempts (run_id, phase_id, attempt, run_attempt, def_hash, status, started_at)
                           VALUES (@runId, @phaseId, @attempt, @runAttempt, @defHash, 'running', @now)
                           ON CONFLICT (run_id, phase_id, attempt) DO NOTHING`),
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
                         WHERE run_id = @runId AND phase_id = @phaseId
                         ON CONFLICT (run_id, phase_id, idx) DO NOTHING`),
    addUsagePhaseAttempt: p(`UPDATE phase_attempts SET input_tokens = input_tokens + @inTok, output_tokens = output_tokens + @outTok
                             WHERE run_id = @runId AND phase_id = @phaseId AND attempt = (SELECT attempts FROM run_phases WHERE run_id = @runId AND phase_id = @phaseId)`),
    addUsagePhase: p(`UPDATE run_phases SET input_tokens = input_tokens + @inTok, output_tokens = output_tokens + @outTok WHERE run_id = @runId AND phase_id = @phaseId`),
    addUsageAttempt: p(`UPDATE run_attempts SET input_tokens = input_tokens + @inTok, output_tokens = output_tokens + @outTok WHERE run_id = @runId AND attempt = @attempt`),
    addUsageRun: p(`UPDATE runs SET input_tokens = input_tokens + @inTok, output_tokens = output_tokens + @outTok WHERE id = @runId`),
    finishRun: p(`UPDATE runs SET status = @status, error_json = @error, finished_at = @now, updated_at = @now, owner_id = NULL, owner_pid = NULL, owner_host = NULL, heartbeat_at = NULL
                  WHERE id = @runId`),
    finishAttempt: p(`UPDATE run_attempts SET status = @status, error_json = @error, finished_at = @now WHERE run_id = @runId AND attempt = @attempt`),
    interruptPhaseAttempts: p(`UPDATE phase_attempts SET status = 'interrupted', finished_at = @now WHERE run_id = @runId AND status = 'running'`),
    recordProcess: p(`INSERT INTO phase_processes (run_id, phase_id, attempt, host, pgid, start_time, started_at)
                      VALUES (@runId, @phaseId, @attempt, @host, @pgid, @startTime, @startedAt)
                      ON CONFLICT (run_id, host, pgid) DO UPDATE SET phase_id = excluded.phase_id, attempt = excluded.attempt,
                        start_time = excluded.start_time, started_at = excluded.started_at`),
    forgetProcess: p(`DELETE FROM phase_processes WHERE run_id = ? AND host = ? AND pgid = ?`),
    processesOf: p(`SELECT * FROM phase_processes WHERE run_id = ? ORDER BY started_at, run_id, host, pgid`),
    strayProcesses: p(`SELECT pp.* FROM phase_processes pp JOIN runs r ON r.id = pp.run_id
                       WHERE pp.host = ? AND r.status <> 'running' ORDER BY pp.started_at, pp.run_id, pp.host, pp.pgid`),
    interruptPhases: p(`UPDATE run_phases SET status = 'interrupted', finished_at = @now WHERE run_id = @runId AND status = 'running'`),
  };
}
