/**
 * Every SQL statement of the PostgreSQL store. Each is a named statement, so a pooled
 * connection parses and plans it once and then only binds values (the PostgreSQL
 * counterpart of STYLE rule 11). Column lists are explicit (no `SELECT *`): a cached
 * plan stays valid when a later migration adds a column.
 *
 * Reads that return several rows have a total ORDER BY, the same as the SQLite store's;
 * ids are `COLLATE "C"`, so ties break in the same order too.
 */
import type pg from 'pg';
import type { Sql } from './pg-pool';

export interface Statement {
  name: string;
  text: string;
}

const stmt = (name: string, text: string): Statement => ({ name: `waymark_${name}`, text });

/** Runs a named statement with positional values. */
export function exec<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: Sql, s: Statement, values: unknown[]): Promise<pg.QueryResult<R>> {
  return sql.query<R>({ name: s.name, text: s.text, values });
}

// The summed usage columns (migration 004) of runs, attempts, phases and phase tries.
const TOTALS = `input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, cost_usd, steps, unpriced_steps`;
const RUN = `id, flow_name, flow_file, status, inputs_json, error_json, created_at, updated_at, finished_at, attempt, last_seq,
  owner_id, owner_pid, owner_host, heartbeat_at, ${TOTALS}, waiting_for_json, rerun_of_run_id, rerun_of_phase, active_ms, attempt_started_at`;
/** What one model step adds to a sum ($4..$9: input, output, cached input, reasoning tokens, cost or NULL). */
const ADD_STEP = `input_tokens = input_tokens + $4, output_tokens = output_tokens + $5, cached_input_tokens = cached_input_tokens + $6,
  reasoning_tokens = reasoning_tokens + $7, cost_usd = cost_usd + COALESCE($8::double precision, 0), steps = steps + 1,
  unpriced_steps = unpriced_steps + (CASE WHEN $8::double precision IS NULL THEN 1 ELSE 0 END)`;
// With the queue columns a reaper needs to decide on a re-queue (pg-queue.ts).
const LEASE = `id, attempt, status, owner_id, owner_pid, owner_host, heartbeat_at, claimed_by, requeue_count, attempt_started_at, updated_at`;
const PROCESS = `run_id, phase_id, attempt, host, pgid, start_time, started_at`;
/** A try with what it produced and its decision, as SQLite's TRY_COLUMNS (bytea decoded in pg-rows.ts). */
const TRY_COLUMNS = `SELECT pa.run_id, pa.phase_id, pa.attempt, pa.run_attempt, pa.def_hash, pa.started_at, pa.error_json, pa.exit_code,
    pa.stdout_tail, pa.stderr_tail, pa.command_line, ${TOTALS.split(', ').map((c) => `pa.${c}`).join(', ')},
    CASE WHEN rp.status = 'waiting' AND rp.attempts = pa.attempt THEN 'waiting' ELSE pa.status END AS status,
    CASE WHEN rp.status = 'waiting' AND rp.attempts = pa.attempt THEN NULL ELSE pa.finished_at END AS finished_at,
    CASE WHEN pa.status <> 'succeeded' THEN NULL WHEN pr.attempt = pa.attempt THEN pr.output ELSE pa.output END AS output,
    ap.decision, ap.decided_by, ap.comment, ap.at AS decided_at
  FROM phase_attempts pa
  LEFT JOIN run_phases rp ON rp.run_id = pa.run_id AND rp.phase_id = pa.phase_id
  LEFT JOIN phase_results pr ON pr.run_id = pa.run_id AND pr.phase_id = pa.phase_id
  LEFT JOIN approvals ap ON ap.run_id = pa.run_id AND ap.phase_id = pa.phase_id AND ap.attempt = pa.attempt`;

export const S = {
  // Runs and attempts --------------------------------------------------------------
  insertRun: stmt('insert_run', `INSERT INTO runs (id, flow_name, flow_file, status, inputs_json, created_at, updated_at, attempt, last_seq, owner_id, owner_pid, owner_host, heartbeat_at,
      attempt_started_at, rerun_of_run_id, rerun_of_phase)
    VALUES ($1, $2, $3, 'running', $4, $5, $5, 1, 0, $6, $7, $8, $5, $5, $9, $10) ON CONFLICT (id) DO NOTHING`),
  insertAttempt: stmt('insert_attempt', `INSERT INTO run_attempts (run_id, attempt, flow_source, started_at, status, pid, restart_phase, budget_json)
    VALUES ($1, $2, $3, $4, 'running', $5, $6, $7)`),
  startAttempt: stmt('start_attempt', `UPDATE runs SET status = 'running', attempt = $2, error_json = NULL, finished_at = NULL, updated_at = $3, waiting_for_json = NULL, attempt_started_at = $3,
    owner_id = $4, owner_pid = $5, owner_host = $6, heartbeat_at = $3, flow_name = $7, flow_file = $8 WHERE id = $1`),
  // The whole plan in one statement. A phase that comes back into the plan after an
  // attempt without it keeps counting its tries from its history (as in SQLite).
  upsertPhases: stmt('upsert_phases', `INSERT INTO run_phases (run_id, phase_id, position, kind, depends_on_json, def_hash, status, attempts)
    SELECT $1::text, p.phase_id, p.ord - 1, p.kind, p.depends_on_json, p.def_hash, p.status,
      (SELECT COALESCE(MAX(pa.attempt), 0) FROM phase_attempts pa WHERE pa.run_id = $1::text AND pa.phase_id = p.phase_id)
    FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS p(phase_id, kind, depends_on_json, def_hash, status, ord)
    ON CONFLICT (run_id, phase_id) DO UPDATE SET position = excluded.position, kind = excluded.kind,
      depends_on_json = excluded.depends_on_json, def_hash = excluded.def_hash, status = excluded.status,
      error_json = CASE WHEN excluded.status = 'succeeded' THEN run_phases.error_json ELSE NULL END, waiting_json = NULL`),
  deleteUnplanned: stmt('delete_unplanned', `DELETE FROM run_phases WHERE run_id = $1 AND phase_id <> ALL ($2::text[])`),

  // Leases ---------------------------------------------------------------------------
  // FOR NO KEY UPDATE: a commit excludes other writers of the run row (commits, resumes,
  // reapers), but not the foreign-key checks of process rows recorded meanwhile.
  lockForCommit: stmt('lock_for_commit', `SELECT status, owner_id FROM runs WHERE id = $1 FOR NO KEY UPDATE`),
  lockForResume: stmt('lock_for_resume', `SELECT ${LEASE} FROM runs WHERE id = $1 FOR UPDATE`),
  claimSeq: stmt('claim_seq', `UPDATE runs SET last_seq = last_seq + $2, updated_at = $3 WHERE id = $1 RETURNING last_seq, attempt`),
  notify: stmt('notify', `SELECT pg_notify($1, $2)`),
  heartbeat: stmt('heartbeat', `UPDATE runs SET heartbeat_at = $3 WHERE id = $1 AND owner_id = $2 AND status = 'running'`),
  runningRuns: stmt('running_runs', `SELECT ${LEASE} FROM runs WHERE status = 'running' ORDER BY created_at, id`),
  // Reapers skip rows another reaper (or a commit) holds; the caller re-checks each lease.
  lockRunning: stmt('lock_running', `SELECT ${LEASE} FROM runs WHERE id = ANY ($1::text[]) AND status = 'running'
    ORDER BY created_at, id FOR UPDATE SKIP LOCKED`),
  // What a reaper interrupts: running phases, and waiting ones (parked in the dead process).
  runningPhases: stmt('running_phases', `SELECT phase_id, attempts, started_at FROM run_phases WHERE run_id = $1 AND status IN ('running', 'waiting') ORDER BY position`),

  // Facts ----------------------------------------------------------------------------
  insertEvents: stmt('insert_events', `INSERT INTO events (run_id, seq, type, payload_json, at)
    SELECT $1::text, e.seq, e.type, e.payload_json, $5::bigint FROM unnest($2::bigint[], $3::text[], $4::text[]) AS e(seq, type, payload_json)`),
  phaseExists: stmt('phase_exists', `SELECT 1 FROM run_phases WHERE run_id = $1 AND phase_id = $2`),
  phaseStarted: stmt('phase_started', `UPDATE run_phases SET status = 'running', attempts = $3, started_at = $4, finished_at = NULL, error_json = NULL, exit_code = NULL,
    waiting_json = NULL WHERE run_id = $1 AND phase_id = $2`),
  insertPhaseAttempt: stmt('insert_phase_attempt', `INSERT INTO phase_attempts (run_id, phase_id, attempt, run_attempt, def_hash, status, started_at)
    VALUES ($1, $2, $3, $4, $5, 'running', $6) ON CONFLICT (run_id, phase_id, attempt) DO NOTHING`),
  phaseFinished: stmt('phase_finished', `UPDATE run_phases SET status = $3, finished_at = $4, error_json = $5, exit_code = $6, waiting_json = NULL
    WHERE run_id = $1 AND phase_id = $2`),
  endPhaseAttempt: stmt('end_phase_attempt', `UPDATE phase_attempts SET status = $4, finished_at = $5, error_json = $6, exit_code = $7, stdout_tail = $8, stderr_tail = $9
    WHERE run_id = $1 AND phase_id = $2 AND attempt = $3`),
  // Before a success replaces the saved result of an earlier try, that try keeps its output (migration 006).
  supersedeResult: stmt('supersede_result', `UPDATE phase_attempts pa SET output = r.output FROM phase_results r
    WHERE r.run_id = $1 AND r.phase_id = $2 AND pa.run_id = r.run_id AND pa.phase_id = r.phase_id AND pa.attempt = r.attempt AND pa.attempt <> $3`),
  saveResult: stmt('save_result', `INSERT INTO phase_results (run_id, phase_id, def_hash, output, output_sha256, attempt, completed_at)
    SELECT run_id, phase_id, def_hash, $4::bytea, $5::text, attempt, $6::bigint FROM phase_attempts WHERE run_id = $1 AND phase_id = $2 AND attempt = $3
    ON CONFLICT (run_id, phase_id) DO UPDATE SET def_hash = excluded.def_hash, output = excluded.output, output_sha256 = excluded.output_sha256,
      attempt = excluded.attempt, completed_at = excluded.completed_at`),
  insertTranscript: stmt('insert_transcript', `INSERT INTO transcript (run_id, phase_id, idx, attempt, role, content_json, input_tokens, output_tokens, at,
      cached_input_tokens, cache_write_tokens, reasoning_tokens, cost_usd)
    SELECT run_id, phase_id, $3::bigint, attempts, $4::text, $5::text, $6::bigint, $7::bigint, $8::bigint, $9::bigint, $10::bigint, $11::bigint, $12::double precision
    FROM run_phases WHERE run_id = $1 AND phase_id = $2
    ON CONFLICT (run_id, phase_id, idx) DO NOTHING`),
  // One model step's tokens and cost (shared/usage.ts addStepUsage), added to its phase,
  // that phase's current try, the run's attempt and the run. $8 NULL: no known price.
  addUsage: stmt('add_usage', `WITH used_phase AS (
      UPDATE run_phases SET ${ADD_STEP} WHERE run_id = $1 AND phase_id = $2 RETURNING attempts
    ), used_try AS (
      UPDATE phase_attempts SET ${ADD_STEP} WHERE run_id = $1 AND phase_id = $2 AND attempt = (SELECT attempts FROM used_phase)
    ), used_attempt AS (
      UPDATE run_attempts SET ${ADD_STEP} WHERE run_id = $1 AND attempt = $3
    )
    UPDATE runs SET ${ADD_STEP} WHERE id = $1`),
  // run.finished: the run, its attempt, and whatever was still running, in one statement.
  // $7: when the attempt ended ($4, the commit, unless a crash ended it earlier); its active
  // time counts once (shared/run-reducer.ts): attempt_started_at is cleared with it.
  finishRun: stmt('finish_run', `WITH ended_attempt AS (
      UPDATE run_attempts SET status = $2, error_json = $3, finished_at = $7 WHERE run_id = $1 AND attempt = $5
    ), ended_tries AS (
      UPDATE phase_attempts SET status = 'interrupted', finished_at = $7 WHERE run_id = $1 AND status = 'running'
    ), ended_phases AS (
      -- Waiting phases stay waiting only in a waiting run (shared/run-reducer.ts).
      UPDATE run_phases SET status = 'interrupted', finished_at = $7, waiting_json = NULL
      WHERE run_id = $1 AND (status = 'running' OR (status = 'waiting' AND $2 <> 'waiting'))
    )
    UPDATE runs SET status = $2, error_json = $3, finished_at = $7, updated_at = $4, owner_id = NULL, owner_pid = NULL, owner_host = NULL, heartbeat_at = NULL,
      waiting_for_json = $6, active_ms = active_ms + COALESCE(GREATEST(0, $7::bigint - attempt_started_at), 0), attempt_started_at = NULL
    WHERE id = $1`),

  // Waiting and decisions (migration 003) --------------------------------------------
  phaseWaiting: stmt('phase_waiting', `UPDATE run_phases SET status = 'waiting', waiting_json = $3 WHERE run_id = $1 AND phase_id = $2`),
  phaseDecided: stmt('phase_decided', `UPDATE run_phases SET decision_json = $3 WHERE run_id = $1 AND phase_id = $2`),
  // One row per try; refused for a try never started.
  insertApproval: stmt('insert_approval', `INSERT INTO approvals (run_id, phase_id, attempt, decision, decided_by, comment, at)
    SELECT run_id, phase_id, attempt, $4::text, $5::text, $6::bytea, $7::bigint FROM phase_attempts WHERE run_id = $1 AND phase_id = $2 AND attempt = $3
    ON CONFLICT (run_id, phase_id, attempt) DO NOTHING`),
  tryExists: stmt('try_exists', `SELECT 1 FROM phase_attempts WHERE run_id = $1 AND phase_id = $2 AND attempt = $3`),
  waitingFor: stmt('waiting_for', `SELECT waiting_for_json FROM runs WHERE id = $1`),
  setWaitingFor: stmt('set_waiting_for', `UPDATE runs SET waiting_for_json = $2 WHERE id = $1`),
  lockForDecide: stmt('lock_for_decide', `SELECT id, status, attempt, owner_pid, owner_host FROM runs WHERE id = $1 FOR UPDATE`),
  decidePhase: stmt('decide_phase', `SELECT kind, status, attempts, started_at, waiting_json, decision_json FROM run_phases WHERE run_id = $1 AND phase_id = $2`),
  plannedIds: stmt('planned_ids', `SELECT phase_id FROM run_phases WHERE run_id = $1 ORDER BY position`),
  decisions: stmt('decisions', `SELECT phase_id, attempt, decision, decided_by, comment, at FROM approvals WHERE run_id = $1 ORDER BY at, phase_id, attempt`),

  // Process groups -------------------------------------------------------------------
  recordProcess: stmt('record_process', `INSERT INTO phase_processes (${PROCESS}) VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (run_id, host, pgid) DO UPDATE SET phase_id = excluded.phase_id, attempt = excluded.attempt,
      start_time = excluded.start_time, started_at = excluded.started_at`),
  forgetProcess: stmt('forget_process', `DELETE FROM phase_processes WHERE run_id = $1 AND host = $2 AND pgid = $3`),
  processesOf: stmt('processes_of', `SELECT ${PROCESS} FROM phase_processes WHERE run_id = $1 ORDER BY started_at, run_id, host, pgid`),
  strayProcesses: stmt('stray_processes', `SELECT ${PROCESS.split(', ').map((c) => `pp.${c}`).join(', ')} FROM phase_processes pp JOIN runs r ON r.id = pp.run_id
    WHERE pp.host = $1 AND r.status <> 'running' ORDER BY pp.started_at, pp.run_id, pp.host, pp.pgid`),

  // Reads ----------------------------------------------------------------------------
  getRun: stmt('get_run', `SELECT ${RUN} FROM runs WHERE id = $1`),
  listRuns: stmt('list_runs', `SELECT ${RUN} FROM runs WHERE ($2::text IS NULL OR status = $2) ORDER BY created_at DESC, id DESC LIMIT $1`),
  // The next page (shared/runs-page.ts): the row value is a range on runs_by_created (created_at DESC, id DESC).
  listRunsBefore: stmt('list_runs_before', `SELECT ${RUN} FROM runs WHERE ($2::text IS NULL OR status = $2) AND (created_at, id) < ($3::bigint, $4::text)
    ORDER BY created_at DESC, id DESC LIMIT $1`),
  attempts: stmt('attempts', `SELECT run_id, attempt, flow_source, started_at, finished_at, status, error_json, pid, restart_phase, budget_json, ${TOTALS}
    FROM run_attempts WHERE run_id = $1 ORDER BY attempt`),
  phases: stmt('phases', `SELECT rp.run_id, rp.phase_id, rp.position, rp.kind, rp.depends_on_json, rp.def_hash, rp.status, rp.attempts, rp.error_json,
      rp.started_at, rp.finished_at, rp.exit_code, ${TOTALS.split(', ').map((c) => `rp.${c}`).join(', ')}, pr.output, pa.stdout_tail, pa.stderr_tail,
      rp.waiting_json, rp.decision_json
    FROM run_phases rp
    LEFT JOIN phase_results pr ON pr.run_id = rp.run_id AND pr.phase_id = rp.phase_id AND rp.status = 'succeeded'
    LEFT JOIN phase_attempts pa ON pa.run_id = rp.run_id AND pa.phase_id = rp.phase_id AND pa.attempt = rp.attempts AND rp.started_at IS NOT NULL
    WHERE rp.run_id = $1 ORDER BY rp.position`),
  // What a resume adds to its run.started (shared/events.ts): the saved outputs of the
  // reused phases, and the tries of phases that come back into the plan.
  reusedOutputs: stmt('reused_outputs', `SELECT phase_id, output FROM phase_results WHERE run_id = $1 AND phase_id = ANY ($2::text[]) ORDER BY phase_id`),
  unplannedTries: stmt('unplanned_tries', `SELECT pa.phase_id, MAX(pa.attempt) AS tries FROM phase_attempts pa
    WHERE pa.run_id = $1 AND NOT EXISTS (SELECT 1 FROM run_phases rp WHERE rp.run_id = pa.run_id AND rp.phase_id = pa.phase_id)
    GROUP BY pa.phase_id`),
  // Every try (history, SPEC §5): all of a run's, or one phase's ($2 NULL: all).
  tries: stmt('tries', `${TRY_COLUMNS} WHERE pa.run_id = $1 AND ($2::text IS NULL OR pa.phase_id = $2) ORDER BY pa.phase_id, pa.attempt`),
  // "Run again from a phase": the new run reuses these results of the run it came from (attempt 0: no try of its own).
  copyResults: stmt('copy_results', `INSERT INTO phase_results (run_id, phase_id, def_hash, output, output_sha256, attempt, completed_at)
    SELECT $1::text, phase_id, def_hash, output, output_sha256, 0, completed_at FROM phase_results WHERE run_id = $2 AND phase_id = ANY ($3::text[])`),
  results: stmt('results', `SELECT phase_id, def_hash, output, output_sha256, attempt, completed_at FROM phase_results WHERE run_id = $1 ORDER BY phase_id`),
  transcript: stmt('transcript', `SELECT phase_id, idx, attempt, role, content_json, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens,
    reasoning_tokens, cost_usd, at FROM transcript
    WHERE run_id = $1 AND phase_id = $2 AND idx >= $3 ORDER BY idx LIMIT $4`),
  // The log is slim (shared/events.ts): join back the tails of the try a phase.finished
  // ended, its output if that try's result is still the saved one, and the outputs a
  // run.started reused that are still saved (not replaced by a later success) — as the
  // SQLite store's query does. The payload is parsed as `json` only to find those keys;
  // PostgreSQL refuses to parse the escape \u0000 (an error message may hold one), so it
  // is swapped for \ufffd first: ids and numbers never contain it.
  events: stmt('events', `SELECT e.run_id, e.seq, e.type, e.payload_json, e.at, pa.stdout_tail, pa.stderr_tail, pr.output,
      reused.phase_ids AS reused_ids, reused.outputs AS reused_outputs
    FROM events e
    CROSS JOIN LATERAL (
      SELECT CASE WHEN e.type IN ('phase.finished', 'run.started') THEN replace(e.payload_json, '\\u0000', '\\ufffd')::json END AS p
    ) j
    LEFT JOIN phase_attempts pa ON e.type = 'phase.finished' AND pa.run_id = e.run_id
      AND pa.phase_id = (j.p ->> 'phaseId') AND pa.attempt = (j.p ->> 'attempt')::bigint
    LEFT JOIN phase_results pr ON e.type = 'phase.finished' AND (j.p ->> 'status') = 'succeeded' AND pr.run_id = e.run_id
      AND pr.phase_id = (j.p ->> 'phaseId') AND pr.attempt = (j.p ->> 'attempt')::bigint
    LEFT JOIN LATERAL (
      SELECT array_agg(r.phase_id ORDER BY r.phase_id) AS phase_ids, array_agg(r.output ORDER BY r.phase_id) AS outputs
      FROM phase_results r
      WHERE e.type = 'run.started' AND r.run_id = e.run_id AND r.completed_at <= e.at
        AND r.phase_id IN (SELECT json_array_elements_text(j.p -> 'reused'))
    ) reused ON true
    WHERE e.run_id = $1 AND e.seq > $2 ORDER BY e.seq LIMIT $3`),
  updatedSince: stmt('updated_since', `SELECT id, last_seq, updated_at FROM runs WHERE updated_at > $1 ORDER BY updated_at, id`),
} as const;
