import type { PgMigration } from './migration';

/**
 * Queued runs and workers (SPEC §7), as SQLite migration 003: run statuses gain `queued`
 * and `waiting`, and runs gain the queue's columns — `queued_at` (claims take the
 * oldest first), `queue_source` / `queue_restart_phase` (what a claiming worker runs;
 * NULL source: its last attempt's definition; `bytea` like every flow source),
 * `claimed_by` (the worker that last claimed it) and `requeue_count` (re-queues after a
 * dead worker). PostgreSQL alters the CHECK constraint in place.
 */
export const migration002: PgMigration = {
  version: 2,
  name: 'queue',
  up: async (sql) => {
    await sql.query(`
      ALTER TABLE runs DROP CONSTRAINT runs_status_check;
      ALTER TABLE runs ADD CONSTRAINT runs_status_check
        CHECK (status IN ('queued','running','waiting','succeeded','failed','interrupted','cancelled'));
      ALTER TABLE runs
        ADD COLUMN queued_at           bigint,
        ADD COLUMN queue_source        bytea,
        ADD COLUMN queue_restart_phase text,
        ADD COLUMN claimed_by          text,
        ADD COLUMN requeue_count       bigint NOT NULL DEFAULT 0;
      -- Workers claim the oldest queued run (FOR UPDATE SKIP LOCKED).
      CREATE INDEX runs_queued ON runs (queued_at, id) WHERE status = 'queued';
    `);
  },
};
