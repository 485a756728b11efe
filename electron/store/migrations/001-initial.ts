import type { Migration } from './migration';

/** Runs, attempts, phases, durable phase results, the event log and the transcript. */
export const migration001: Migration = {
  version: 1,
  name: 'initial schema',
  up: (db) => {
    db.exec(`
      CREATE TABLE runs (
        id            TEXT PRIMARY KEY,
        flow_name     TEXT NOT NULL,
        flow_file     TEXT,
        status        TEXT NOT NULL CHECK (status IN ('running','succeeded','failed','interrupted','cancelled')),
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
        output_tokens INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX runs_by_created ON runs (created_at DESC);
      CREATE INDEX runs_by_updated ON runs (updated_at);
      CREATE INDEX runs_running ON runs (status) WHERE status = 'running';

      CREATE TABLE run_attempts (
        run_id        TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        attempt       INTEGER NOT NULL,
        flow_source   TEXT NOT NULL,
        started_at    INTEGER NOT NULL,
        finished_at   INTEGER,
        status        TEXT NOT NULL,
        error_json    TEXT,
        pid           INTEGER NOT NULL,
        restart_phase TEXT,
        input_tokens  INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (run_id, attempt)
      ) STRICT;

      CREATE TABLE run_phases (
        run_id          TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        phase_id        TEXT NOT NULL,
        position        INTEGER NOT NULL,
        kind            TEXT NOT NULL,
        depends_on_json TEXT NOT NULL,
        def_hash        TEXT NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('pending','running','succeeded','failed','interrupted','skipped')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        error_json      TEXT,
        started_at      INTEGER,
        finished_at     INTEGER,
        exit_code       INTEGER,
        input_tokens    INTEGER NOT NULL DEFAULT 0,
        output_tokens   INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (run_id, phase_id)
      ) STRICT;

      CREATE TABLE phase_attempts (
        run_id        TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        phase_id      TEXT NOT NULL,
        attempt       INTEGER NOT NULL,
        run_attempt   INTEGER NOT NULL,
        def_hash      TEXT NOT NULL,
        status        TEXT NOT NULL,
        started_at    INTEGER NOT NULL,
        finished_at   INTEGER,
        error_json    TEXT,
        exit_code     INTEGER,
        stdout_tail   TEXT,
        stderr_tail   TEXT,
        input_tokens  INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (run_id, phase_id, attempt)
      ) STRICT;

      -- The durable success of a phase; resume reuses these. output_sha256 detects damage.
      CREATE TABLE phase_results (
        run_id        TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        phase_id      TEXT NOT NULL,
        def_hash      TEXT NOT NULL,
        output        TEXT NOT NULL,
        output_sha256 TEXT NOT NULL,
        attempt       INTEGER NOT NULL,
        completed_at  INTEGER NOT NULL,
        PRIMARY KEY (run_id, phase_id)
      ) STRICT;

      CREATE TABLE events (
        run_id       TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        seq          INTEGER NOT NULL,
        type         TEXT NOT NULL,
        payload_json TEXT NOT NULL,
        at           INTEGER NOT NULL,
        PRIMARY KEY (run_id, seq)
      ) STRICT, WITHOUT ROWID;

      -- Append-only: one row per model response or tool result, never rewritten.
      CREATE TABLE transcript (
        run_id        TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        phase_id      TEXT NOT NULL,
        idx           INTEGER NOT NULL,
        attempt       INTEGER NOT NULL,
        role          TEXT NOT NULL,
        content_json  TEXT NOT NULL,
        input_tokens  INTEGER,
        output_tokens INTEGER,
        at            INTEGER NOT NULL,
        PRIMARY KEY (run_id, phase_id, idx)
      ) STRICT;
    `);
  },
};
