/**
 * Every SQL statement of the SQLite store, prepared once per connection (STYLE rule 11).
 * Reads that return several rows have a total ORDER BY: the memory store sorts the same
 * way, so both implementations answer in the same order.
 */
import type { Database, Statement } from 'better-sqlite3';
import { prepareLogStatements } from './sqlite-logs';

export type Statements = ReturnType<typeof prepareStatements>;

/** What one model step adds to a sum (@cost NULL: no known price, counted as unpriced). */
const ADD_STEP = `input_tokens = input_tokens + @inTok, output_tokens = output_tokens + @outTok,
  cached_input_tokens = cached_input_tokens + @cachedTok, reasoning_tokens = reasoning_tokens + @reasoningTok,
  cost_usd = cost_usd + COALESCE(@cost, 0), steps = steps + 1, unpriced_steps = unpriced_steps + (@cost IS NULL)`;

/** A try with what it produced and its decision (sqlite-rows.ts TryRow). */
const TRY_COLUMNS = `SELECT pa.run_id, pa.phase_id, pa.attempt, pa.run_attempt, pa.def_hash, pa.started_at, pa.error_json, pa.exit_code,
    pa.stdout_tail, pa.stderr_tail, pa.command_line, pa.input_tokens, pa.output_tokens, pa.cached_input_tokens, pa.reasoning_tokens, pa.cost_usd, pa.steps, pa.unpriced_steps,
    CASE WHEN rp.status = 'waiting' AND rp.attempts = pa.attempt THEN 'waiting' ELSE pa.status END AS status,
    CASE WHEN rp.status = 'waiting' AND rp.attempts = pa.attempt THEN NULL ELSE pa.finished_at END AS finished_at,
    CASE WHEN pa.status <> 'succeeded' THEN NULL WHEN pr.attempt = pa.attempt AND typeof(pr.output) = 'text' THEN pr.output ELSE pa.output END AS output,
    ap.decision, ap.decided_by, ap.comment, ap.at AS decided_at
  FROM phase_attempts pa
  LEFT JOIN run_phases rp ON rp.run_id = pa.run_id AND rp.phase_id = pa.phase_id
  LEFT JOIN phase_results pr ON pr.run_id = pa.run_id AND pr.phase_id = pa.phase_id
  LEFT JOIN approvals ap ON ap.run_id = pa.run_id AND ap.phase_id = pa.phase_id AND ap.attempt = pa.attempt`;

export function prepareStatements(db: Database) {
  const p = (sql: string): Statement => db.prepare(sql);
  return {
    insertRun: p(`INSERT INTO runs (id, flow_name, flow_file, status, inputs_json, created_at, updated_at, attempt, last_seq, owner_id, owner_pid, owner_host, heartbeat_at,
                    attempt_started_at, rerun_of_run_id, rerun_of_phase)
                  VALUES (@id, @flowName, @flowFile, 'running', @inputs, @now, @now, 1, 0, @ownerId, @ownerPid, @ownerHost, @now, @now, @rerunOfRunId, @rerunOfPhase)`),
    insertAttempt: p(`INSERT INTO run_attempts (run_id, attempt, flow_source, started_at, status, pid, restart_phase, budget_json)
                      VALUES (@runId, @attempt, @flowSource, @now, 'running', @pid, @restartPhase, @budget)`),
    startAttempt: p(`UPDATE runs SET status = 'running', attempt = @attempt, error_json = NULL, finished_at = NULL, updated_at = @now, waiting_for_json = NULL, attempt_started_at = @now,
                       owner_id = @ownerId, owner_pid = @ownerPid, owner_host = @ownerHost, heartbeat_at = @now, flow_name = @flowName, flow_file = @flowFile WHERE id = @id`),
    // A phase that comes back into the plan after an attempt without it keeps counting
    // its tries from its history, so its next try never reuses a try number.
    upsertPhase: p(`INSERT INTO run_phases (run_id, phase_id, position, kind, depends_on_json, def_hash, status, attempts)
                    VALUES (@runId, @phaseId, @position, @kind, @dependsOn, @defHash, @status,
                      (SELECT COALESCE(MAX(attempt), 0) FROM phase_attempts WHERE run_id = @runId AND phase_id = @phaseId))
                    ON CONFLICT (run_id, phase_id) DO UPDATE SET position = excluded.position, kind = excluded.kind,
                      depends_on_json = excluded.depends_on_json, def_hash = excluded.def_hash, status = excluded.status,
                      error_json = CASE WHEN excluded.status = 'succeeded' THEN run_phases.error_json ELSE NULL END, waiting_json = NULL`),
    phaseIds: p(`SELECT phase_id FROM run_phases WHERE run_id = ?`),
    phaseExists: p(`SELECT 1 FROM run_phases WHERE run_id = ? AND phase_id = ?`),
    deletePhase: p(`DELETE FROM run_phases WHERE run_id = ? AND phase_id = ?`),
    checkOwner: p(`SELECT attempt FROM runs WHERE id = ? AND owner_id = ? AND status = 'running'`),
    claimSeq: p(`UPDATE runs SET last_seq = last_seq + ?, updated_at = ? WHERE id = ? RETURNING last_seq, attempt`),
    heartbeat: p(`UPDATE runs SET heartbeat_at = ? WHERE id = ? AND owner_id = ? AND status = 'running'`),
    runningRuns: p(`SELECT * FROM runs WHERE status = 'running' ORDER BY created_at, id`),
    // What a reaper interrupts: running phases, and waiting ones (parked in the dead process).
    runningPhases: p(`SELECT phase_id, attempts, started_at FROM run_phases WHERE run_id = ? AND status IN ('running', 'waiting') ORDER BY position`),
    getRun: p(`SELECT * FROM runs WHERE id = ?`),
    listRuns: p(`SELECT * FROM runs WHERE (@status IS NULL OR status = @status) ORDER BY created_at DESC, id DESC LIMIT @limit`),
    // The next page (shared/runs-page.ts): the row value keeps it a range on runs_by_created.
    listRunsBefore: p(`SELECT * FROM runs WHERE (@status IS NULL OR status = @status) AND (created_at, id) < (@createdAt, @id)
                       ORDER BY created_at DESC, id DESC LIMIT @limit`),
    attempts: p(`SELECT * FROM run_attempts WHERE run_id = ? ORDER BY attempt`),
    // A phase shows the tails of its latest try, unless it came back into the plan and has
    // not started since (started_at NULL): then it starts afresh, as shared/run-reducer.ts says.
    phases: p(`SELECT rp.*, pr.output AS output, pa.stdout_tail AS stdout_tail, pa.stderr_tail AS stderr_tail
               FROM run_phases rp
               LEFT JOIN phase_results pr ON pr.run_id = rp.run_id AND pr.phase_id = rp.phase_id AND rp.status = 'succeeded'
               LEFT JOIN phase_attempts pa ON pa.run_id = rp.run_id AND pa.phase_id = rp.phase_id AND pa.attempt = rp.attempts AND rp.started_at IS NOT NULL
               WHERE rp.run_id = ? ORDER BY rp.position`),
    triesOf: p(`SELECT phase_id, MAX(attempt) AS tries FROM phase_attempts WHERE run_id = ? GROUP BY phase_id`),
    // Every try (history, SPEC §5), with the output it produced: the saved result if it is still
    // that try's, else what a later success moved aside; a try waiting in a waiting run shows `waiting`.
    tries: p(`${TRY_COLUMNS} WHERE pa.run_id = @runId AND (@phaseId IS NULL OR pa.phase_id = @phaseId) ORDER BY pa.phase_id, pa.attempt`),
    // "Run again from a phase": the new run reuses these results of the run it came from (attempt 0: no try of its own).
    copyResults: p(`INSERT INTO phase_results (run_id, phase_id, def_hash, output, output_sha256, attempt, completed_at)
                    SELECT @runId, phase_id, def_hash, output, output_sha256, 0, completed_at FROM phase_results
                    WHERE run_id = @fromRunId AND phase_id IN (SELECT value FROM json_each(@phases))`),
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
    phaseStarted: p(`UPDATE run_phases SET status = 'running', attempts = @attempts, started_at = @now, finished_at = NULL, error_json = NULL, exit_code = NULL, waiting_json = NULL
                     WHERE run_id = @runId AND phase_id = @phaseId`),
    phaseWaiting: p(`UPDATE run_phases SET status = 'waiting', waiting_json = @waiting WHERE run_id = @runId AND phase_id = @phaseId`),
    // approval.decided: the history row (one per try; refused for a try never started) and the phase's latest decision.
    insertApproval: p(`INSERT INTO approvals (run_id, phase_id, attempt, decision, decided_by, comment, at)
                       SELECT run_id, phase_id, attempt, @decision, @by, @comment, @now FROM phase_attempts
                       WHERE run_id = @runId AND phase_id = @phaseId AND attempt = @attempt
                       ON CONFLICT (run_id, phase_id, attempt) DO NOTHING`),
    tryExists: p(`SELECT 1 FROM phase_attempts WHERE run_id = ? AND phase_id = ? AND attempt = ?`),
    phaseDecided: p(`UPDATE run_phases SET decision_json = @decision WHERE run_id = @runId AND phase_id = @phaseId`),
    waitingFor: p(`SELECT waiting_for_json FROM runs WHERE id = ?`),
    setWaitingFor: p(`UPDATE runs SET waiting_for_json = ? WHERE id = ?`),
    decisions: p(`SELECT phase_id, attempt, decision, decided_by, comment, at FROM approvals WHERE run_id = ? ORDER BY at, phase_id, attempt`),
    decidePhase: p(`SELECT kind, status, attempts, started_at, waiting_json, decision_json FROM run_phases WHERE run_id = ? AND phase_id = ?`),
    plannedIds: p(`SELECT phase_id FROM run_phases WHERE run_id = ? ORDER BY position`),
    insertPhaseAttempt: p(`INSERT INTO phase_attempts (run_id, phase_id, attempt, run_attempt, def_hash, status, started_at)
                           VALUES (@runId, @phaseId, @attempt, @runAttempt, @defHash, 'running', @now)
                           ON CONFLICT (run_id, phase_id, attempt) DO NOTHING`),
    endPhaseAttempt: p(`UPDATE phase_attempts SET status = @status, finished_at = @endedAt, error_json = @error, exit_code = @exitCode,
                          stdout_tail = @stdoutTail, stderr_tail = @stderrTail
                        WHERE run_id = @runId AND phase_id = @phaseId AND attempt = @attempt`),
    phaseFinished: p(`UPDATE run_phases SET status = @status, finished_at = @endedAt, error_json = @error, exit_code = @exitCode, waiting_json = NULL
                      WHERE run_id = @runId AND phase_id = @phaseId`),
    // Before a success replaces the saved result of an earlier try, that try keeps its output (migration 007).
    supersedeResult: p(`UPDATE phase_attempts SET output = (SELECT r.output FROM phase_results r WHERE r.run_id = @runId AND r.phase_id = @phaseId)
                        WHERE run_id = @runId AND phase_id = @phaseId AND attempt <> @attempt
                          AND attempt = (SELECT r.attempt FROM phase_results r WHERE r.run_id = @runId AND r.phase_id = @phaseId)`),
    saveResult: p(`INSERT OR REPLACE INTO phase_results (run_id, phase_id, def_hash, output, output_sha256, attempt, completed_at)
                   SELECT run_id, phase_id, def_hash, @output, @sha, attempt, @now FROM phase_attempts
                   WHERE run_id = @runId AND phase_id = @phaseId AND attempt = @attempt`),
    insertTranscript: p(`INSERT INTO transcript (run_id, phase_id, idx, attempt, role, content_json, input_tokens, output_tokens,
                           cached_input_tokens, cache_write_tokens, reasoning_tokens, cost_usd, at)
                         SELECT @runId, @phaseId, @idx, attempts, @role, @content, @inTok, @outTok, @cachedTok, @cacheWriteTok, @reasoningTok, @cost, @now FROM run_phases
                         WHERE run_id = @runId AND phase_id = @phaseId
                         ON CONFLICT (run_id, phase_id, idx) DO NOTHING`),
    // One model step's tokens and cost (shared/usage.ts addStepUsage), added to its phase's
    // current try, the phase, the run's attempt and the run.
    addUsagePhaseAttempt: p(`UPDATE phase_attempts SET ${ADD_STEP} WHERE run_id = @runId AND phase_id = @phaseId
                             AND attempt = (SELECT attempts FROM run_phases WHERE run_id = @runId AND phase_id = @phaseId)`),
    addUsagePhase: p(`UPDATE run_phases SET ${ADD_STEP} WHERE run_id = @runId AND phase_id = @phaseId`),
    addUsageAttempt: p(`UPDATE run_attempts SET ${ADD_STEP} WHERE run_id = @runId AND attempt = @attempt`),
    addUsageRun: p(`UPDATE runs SET ${ADD_STEP} WHERE id = @runId`),
    // The attempt's active time counts once (shared/run-reducer.ts): attempt_started_at is cleared with it.
    finishRun: p(`UPDATE runs SET status = @status, error_json = @error, finished_at = @endedAt, updated_at = @now, owner_id = NULL, owner_pid = NULL, owner_host = NULL, heartbeat_at = NULL,
                    waiting_for_json = @waitingFor, active_ms = active_ms + COALESCE(MAX(0, @endedAt - attempt_started_at), 0), attempt_started_at = NULL
                  WHERE id = @runId`),
    finishAttempt: p(`UPDATE run_attempts SET status = @status, error_json = @error, finished_at = @endedAt WHERE run_id = @runId AND attempt = @attempt`),
    interruptPhaseAttempts: p(`UPDATE phase_attempts SET status = 'interrupted', finished_at = @endedAt WHERE run_id = @runId AND status = 'running'`),
    recordProcess: p(`INSERT INTO phase_processes (run_id, phase_id, attempt, host, pgid, start_time, started_at)
                      VALUES (@runId, @phaseId, @attempt, @host, @pgid, @startTime, @startedAt)
                      ON CONFLICT (run_id, host, pgid) DO UPDATE SET phase_id = excluded.phase_id, attempt = excluded.attempt,
                        start_time = excluded.start_time, started_at = excluded.started_at`),
    forgetProcess: p(`DELETE FROM phase_processes WHERE run_id = ? AND host = ? AND pgid = ?`),
    processesOf: p(`SELECT * FROM phase_processes WHERE run_id = ? ORDER BY started_at, run_id, host, pgid`),
    strayProcesses: p(`SELECT pp.* FROM phase_processes pp JOIN runs r ON r.id = pp.run_id
                       WHERE pp.host = ? AND r.status <> 'running' ORDER BY pp.started_at, pp.run_id, pp.host, pp.pgid`),
    // Waiting phases stay waiting only in a waiting run (shared/run-reducer.ts).
    interruptPhases: p(`UPDATE run_phases SET status = 'interrupted', finished_at = @endedAt, waiting_json = NULL
                        WHERE run_id = @runId AND (status = 'running' OR (status = 'waiting' AND @status <> 'waiting'))`),
    logs: prepareLogStatements(db),
  };
}
