import type { PgMigration } from './migration';

/**
 * Whole logs, as SQLite migration 006: `phase_logs` keeps each stream of a command
 * phase's try (the kept text as UTF-8 `bytea`, what the command wrote in all, the
 * omitted middle, the arrival marks), and `phase_attempts.command_line` the command line
 * it ran (`bytea`: a flow may put any character in `run`). A try's rows go with the try.
 */
export const migration005: PgMigration = {
  version: 5,
  name: 'phase logs',
  up: async (sql) => {
    await sql.query(`
      CREATE TABLE phase_logs (
        run_id       text COLLATE "C" NOT NULL,
        phase_id     text COLLATE "C" NOT NULL,
        attempt      bigint NOT NULL,
        stream       text NOT NULL CHECK (stream IN ('stdout', 'stderr')),
        text         bytea NOT NULL,
        total_bytes  bigint NOT NULL,
        line_ends    bigint NOT NULL,
        omitted_json text,
        marks_json   text NOT NULL,
        PRIMARY KEY (run_id, phase_id, attempt, stream),
        FOREIGN KEY (run_id, phase_id, attempt) REFERENCES phase_attempts (run_id, phase_id, attempt) ON DELETE CASCADE
      );

      ALTER TABLE phase_attempts ADD COLUMN command_line bytea;
    `);
  },
};
