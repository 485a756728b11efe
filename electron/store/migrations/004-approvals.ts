import type { Migration } from './migration';

/**
 * Approvals and waiting runs (SPEC §2 `kind: approval`, §3 `waiting`):
 * - phases may be `waiting` (an approval waiting for a decision, an agent phase stopped
 *   by the budget), with `waiting_json` saying why and since when (`phase.waiting`);
 *   `decision_json` is the latest decision on the phase (`approval.decided`);
 * - `runs.waiting_for_json`: what a `waiting` run waits for (`run.finished.waitingFor`);
 * - `approvals`: every decision, one per try of an approval phase: who decided, when,
 *   and the comment (or the rejection's reason).
 *
 * SQLite cannot change a CHECK constraint in place, so `run_phases` is rebuilt (no table
 * references it); every row stays as it was.
 */
export const migration004: Migration = {
  version: 4,
  name: 'approvals',
  up: (db) => {
    const kept = `run_id, phase_id, position, kind, depends_on_json, def_hash, status, attempts, error_json, started_at, finished_at, exit_code,
      input_tokens, output_tokens`;
    db.exec(`
      CREATE TABLE run_phases_next (
        run_id          TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        phase_id        TEXT NOT NULL,
        position        INTEGER NOT NULL,
        kind            TEXT NOT NULL,
        depends_on_json TEXT NOT NULL,
        def_hash        TEXT NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('pending','running','waiting','succeeded','failed','interrupted','skipped')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        error_json      TEXT,
        started_at      INTEGER,
        finished_at     INTEGER,
        exit_code       INTEGER,
        input_tokens    INTEGER NOT NULL DEFAULT 0,
        output_tokens   INTEGER NOT NULL DEFAULT 0,
        waiting_json    TEXT,
        decision_json   TEXT,
        PRIMARY KEY (run_id, phase_id)
      ) STRICT;
      INSERT INTO run_phases_next (${kept}) SELECT ${kept} FROM run_phases;
      DROP TABLE run_phases;
      ALTER TABLE run_phases_next RENAME TO run_phases;

      ALTER TABLE runs ADD COLUMN waiting_for_json TEXT;

      CREATE TABLE approvals (
        run_id     TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        phase_id   TEXT NOT NULL,
        attempt    INTEGER NOT NULL,
        decision   TEXT NOT NULL CHECK (decision IN ('approved','rejected')),
        decided_by TEXT NOT NULL,
        comment    TEXT NOT NULL,
        at         INTEGER NOT NULL,
        PRIMARY KEY (run_id, phase_id, attempt)
      ) STRICT;
    `);
  },
};
