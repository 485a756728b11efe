import type { Migration } from './migration';

/**
 * Queued runs and workers (SPEC §7). Run statuses gain `queued` (submitted for a worker)
 * and `waiting` (SPEC §3), and runs gain what the queue needs:
 * - `queued_at`: when the run was last queued; workers claim the oldest first;
 * - `queue_source`, `queue_restart_phase`: what a worker runs when it claims the run
 *   (NULL source: the definition its last attempt ran with);
 * - `claimed_by`: the owner id of the worker that last claimed it. A reaped run whose
 *   owner is its claimer was executed by a worker, so it is re-queued;
 * - `requeue_count`: how many times it was re-queued after a dead worker (rules.ts).
 *
 * SQLite cannot change a CHECK constraint in place, so `runs` is rebuilt (SQLite's
 * documented 12-step procedure: the runner turns foreign keys off around this migration
 * and checks them before it commits). Every row and every child row stays as it was.
 */
export const migration003: Migration = {
  version: 3,
  name: 'queue',
  rebuildsTables: true,
  up: (db) => {
    const kept = `id, flow_name, flow_file, status, inputs_json, error_json, created_at, updated_at, finished_at, attempt, last_seq,
      owner_id, owner_pid, heartbeat_at, input_tokens, output_tokens, owner_host`;
    db.exec(`
      CREATE TABLE runs_next (
        id            TEXT PRIMARY KEY,
        flow_name     TEXT NOT NULL,
        flow_file     TEXT,
        status        TEXT NOT NULL CHECK (status IN ('queued','running','waiting','succeeded','failed','interrupted','cancelled')),
        inputs_json   TEXT NOT NULL,
        error_json    TEXT,
        created_at    INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL,
        finished_at   INTEGER,
        attempt       INTEGER NOT NULL,
        last_seq      INTEGER NOT NULL DEFAULT 0,
        owner_id      TEXT,
        owner_pid     INTEGER,
        heartbeat_at  INTEGER,
        input_tokens  INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        owner_host    TEXT,
        queued_at           INTEGER,
        queue_source        TEXT,
        queue_restart_phase TEXT,
        claimed_by          TEXT,
        requeue_count       INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      INSERT INTO runs_next (${kept}) SELECT ${kept} FROM runs;
      DROP TABLE runs;
      ALTER TABLE runs_next RENAME TO runs;
      CREATE INDEX runs_by_created ON runs (created_at DESC);
      CREATE INDEX runs_by_updated ON runs (updated_at);
      CREATE INDEX runs_running ON runs (status) WHERE status = 'running';
      CREATE INDEX runs_queued ON runs (queued_at, id) WHERE status = 'queued';
    `);
  },
};
