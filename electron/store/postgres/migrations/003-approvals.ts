import type { PgMigration } from './migration';

/**
 * Approvals and waiting runs, as SQLite migration 004: phases may be `waiting`, with
 * `waiting_json` (why, since when) and `decision_json` (the latest decision); runs gain
 * `waiting_for_json`; `approvals` keeps every decision, one per try of an approval
 * phase. PostgreSQL alters the CHECK constraint in place.
 */
export const migration003: PgMigration = {
  version: 3,
  name: 'approvals',
  up: async (sql) => {
    await sql.query(`
      ALTER TABLE run_phases DROP CONSTRAINT run_phases_status_check;
      ALTER TABLE run_phases ADD CONSTRAINT run_phases_status_check
        CHECK (status IN ('pending','running','waiting','succeeded','failed','interrupted','skipped'));
      ALTER TABLE run_phases
        ADD COLUMN waiting_json  text,
        ADD COLUMN decision_json text;
      ALTER TABLE runs ADD COLUMN waiting_for_json text;

      CREATE TABLE approvals (
        run_id     text COLLATE "C" NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        phase_id   text COLLATE "C" NOT NULL,
        attempt    bigint NOT NULL,
        decision   text NOT NULL CHECK (decision IN ('approved','rejected')),
        decided_by text NOT NULL,
        comment    bytea NOT NULL,
        at         bigint NOT NULL,
        PRIMARY KEY (run_id, phase_id, attempt)
      );
    `);
  },
};
