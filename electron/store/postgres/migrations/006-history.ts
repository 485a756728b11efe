import type { PgMigration } from './migration';

/**
 * History, as SQLite migration 007: the run a rerun came from (`rerun_of_run_id`,
 * `rerun_of_phase`), a run's active time (`active_ms`, the summed running time of its
 * ended attempts, and `attempt_started_at`, the start of the attempt in progress), and
 * `phase_attempts.output` (`bytea`), the output of a succeeded try once a later success
 * replaced it as the saved result.
 */
export const migration006: PgMigration = {
  version: 6,
  name: 'history',
  up: async (sql) => {
    await sql.query(`
      ALTER TABLE runs
        ADD COLUMN rerun_of_run_id    text COLLATE "C",
        ADD COLUMN rerun_of_phase     text COLLATE "C",
        ADD COLUMN active_ms          bigint NOT NULL DEFAULT 0,
        ADD COLUMN attempt_started_at bigint;
      ALTER TABLE phase_attempts ADD COLUMN output bytea;

      UPDATE runs SET active_ms = COALESCE((SELECT SUM(GREATEST(0, a.finished_at - a.started_at)) FROM run_attempts a
        WHERE a.run_id = runs.id AND a.finished_at IS NOT NULL), 0);
      UPDATE runs SET attempt_started_at = (SELECT a.started_at FROM run_attempts a WHERE a.run_id = runs.id AND a.attempt = runs.attempt)
        WHERE status = 'running';
    `);
  },
};
