import type { Migration } from './migration';

/**
 * History (SPEC §4 "Run again from a phase", §5 "History"):
 * - `runs.rerun_of_run_id`, `rerun_of_phase`: the run and phase a run was started from by
 *   "run again from a phase" (NULL for other runs);
 * - `runs.active_ms`: the summed running time of the run's ended attempts, and
 *   `attempt_started_at`, the start of the attempt in progress (NULL when none runs), so a
 *   run's duration is its attempts' active time, not the wall time since it was created;
 * - `phase_attempts.output`: the output of a succeeded try once a later success of the
 *   phase replaced it as the saved result (moved there, not copied), so every try keeps
 *   what it produced.
 *
 * Existing runs get the active time of their ended attempts; a running run its attempt's start.
 */
export const migration007: Migration = {
  version: 7,
  name: 'history',
  up: (db) => {
    db.exec(`
      ALTER TABLE runs ADD COLUMN rerun_of_run_id TEXT;
      ALTER TABLE runs ADD COLUMN rerun_of_phase TEXT;
      ALTER TABLE runs ADD COLUMN active_ms INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE runs ADD COLUMN attempt_started_at INTEGER;
      ALTER TABLE phase_attempts ADD COLUMN output TEXT;

      UPDATE runs SET active_ms = COALESCE((SELECT SUM(MAX(0, a.finished_at - a.started_at)) FROM run_attempts a
        WHERE a.run_id = runs.id AND a.finished_at IS NOT NULL), 0);
      UPDATE runs SET attempt_started_at = (SELECT a.started_at FROM run_attempts a WHERE a.run_id = runs.id AND a.attempt = runs.attempt)
        WHERE status = 'running';
    `);
  },
};
