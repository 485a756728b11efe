import type { Migration } from './migration';

/**
 * Whole logs (shared/log/phase-log.ts): every try of a command phase keeps its stdout
 * and stderr in `phase_logs`, one row per stream (the kept text as UTF-8, what the
 * command wrote in all, the omitted middle of a stream over the cap, and the arrival
 * marks), and the command line it ran in `phase_attempts.command_line`. A try's rows
 * go with the try. Tries saved before keep their stream tails only.
 */
export const migration006: Migration = {
  version: 6,
  name: 'phase logs',
  up: (db) => {
    db.exec(`
      CREATE TABLE phase_logs (
        run_id       TEXT NOT NULL,
        phase_id     TEXT NOT NULL,
        attempt      INTEGER NOT NULL,
        stream       TEXT NOT NULL CHECK (stream IN ('stdout', 'stderr')),
        text         BLOB NOT NULL,
        total_bytes  INTEGER NOT NULL,
        line_ends    INTEGER NOT NULL,
        omitted_json TEXT,
        marks_json   TEXT NOT NULL,
        PRIMARY KEY (run_id, phase_id, attempt, stream),
        FOREIGN KEY (run_id, phase_id, attempt) REFERENCES phase_attempts (run_id, phase_id, attempt) ON DELETE CASCADE
      ) STRICT;

      ALTER TABLE phase_attempts ADD COLUMN command_line TEXT;
    `);
  },
};
