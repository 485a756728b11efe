import type { PgMigration } from './migration';

/**
 * The whole schema as of SQLite migration 002: runs (with the owner's host), attempts,
 * phases, durable phase results, the event log, the transcript and process groups.
 *
 * Column types are the STRICT SQLite ones made exact for PostgreSQL:
 * - every INTEGER is `bigint` (SQLite integers are 64-bit; ms epochs need it, and counts
 *   the rules accept up to 2^53 must not overflow an `integer`);
 * - ids and keys are `text COLLATE "C"`, so they sort by code unit like SQLite's BINARY
 *   collation, whatever the database's locale;
 * - JSON is `text` holding exactly what Waymark wrote (`jsonb` refuses the `\u0000`
 *   escape a tool result may contain, and would reorder keys);
 * - free text that may hold any character — outputs, stream tails, the flow source — is
 *   `bytea` holding UTF-8, because PostgreSQL `text` cannot hold NUL and a command's
 *   output may (SPEC: outputs of any bytes are stored exactly).
 */
export const migration001: PgMigration = {
  version: 1,
  name: 'initial schema',
  up: async (sql) => {
    await sql.query(`
      CREATE TABLE runs (
        id            text COLLATE "C" PRIMARY KEY,
        flow_name     text NOT NULL,
        flow_file     text,
        status        text NOT NULL CHECK (status IN ('running','succeeded','failed','interrupted','cancelled')),
        inputs_json   text NOT NULL,
        error_json    text,
        created_at    bigint NOT NULL,
        updated_at    bigint NOT NULL,
        finished_at   bigint,
        attempt       bigint NOT NULL,
        last_seq      bigint NOT NULL DEFAULT 0,
        owner_id      text,
        owner_pid     bigint,
        -- NULL only for owners recorded before hosts were (never written by this store).
        owner_host    text,
        heartbeat_at  bigint,
        input_tokens  bigint NOT NULL DEFAULT 0,
        output_tokens bigint NOT NULL DEFAULT 0
      );
      -- The runs list (newest first), the change feed (runsUpdatedSince) and the reaper's scan.
      CREATE INDEX runs_by_created ON runs (created_at DESC, id DESC);
      CREATE INDEX runs_by_updated ON runs (updated_at, id);
      CREATE INDEX runs_running ON runs (created_at, id) WHERE status = 'running';

      CREATE TABLE run_attempts (
        run_id        text COLLATE "C" NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        attempt       bigint NOT NULL,
        flow_source   bytea NOT NULL,
        started_at    bigint NOT NULL,
        finished_at   bigint,
        status        text NOT NULL,
        error_json    text,
        pid           bigint NOT NULL,
        restart_phase text,
        input_tokens  bigint NOT NULL DEFAULT 0,
        output_tokens bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (run_id, attempt)
      );

      CREATE TABLE run_phases (
        run_id          text COLLATE "C" NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        phase_id        text COLLATE "C" NOT NULL,
        position        bigint NOT NULL,
        kind            text NOT NULL,
        depends_on_json text NOT NULL,
        def_hash        text NOT NULL,
        status          text NOT NULL CHECK (status IN ('pending','running','succeeded','failed','interrupted','skipped')),
        attempts        bigint NOT NULL DEFAULT 0,
        error_json      text,
        started_at      bigint,
        finished_at     bigint,
        exit_code       bigint,
        input_tokens    bigint NOT NULL DEFAULT 0,
        output_tokens   bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (run_id, phase_id)
      );

      CREATE TABLE phase_attempts (
        run_id        text COLLATE "C" NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        phase_id      text COLLATE "C" NOT NULL,
        attempt       bigint NOT NULL,
        run_attempt   bigint NOT NULL,
        def_hash      text NOT NULL,
        status        text NOT NULL,
        started_at    bigint NOT NULL,
        finished_at   bigint,
        error_json    text,
        exit_code     bigint,
        stdout_tail   bytea,
        stderr_tail   bytea,
        input_tokens  bigint NOT NULL DEFAULT 0,
        output_tokens bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (run_id, phase_id, attempt)
      );

      -- The durable success of a phase; resume reuses these. output_sha256 detects damage.
      CREATE TABLE phase_results (
        run_id        text COLLATE "C" NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        phase_id      text COLLATE "C" NOT NULL,
        def_hash      text NOT NULL,
        output        bytea NOT NULL,
        output_sha256 text NOT NULL,
        attempt       bigint NOT NULL,
        completed_at  bigint NOT NULL,
        PRIMARY KEY (run_id, phase_id)
      );

      CREATE TABLE events (
        run_id       text COLLATE "C" NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        seq          bigint NOT NULL,
        type         text NOT NULL,
        payload_json text NOT NULL,
        at           bigint NOT NULL,
        PRIMARY KEY (run_id, seq)
      );

      -- Append-only: one row per model response or tool result, never rewritten.
      CREATE TABLE transcript (
        run_id        text COLLATE "C" NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        phase_id      text COLLATE "C" NOT NULL,
        idx           bigint NOT NULL,
        attempt       bigint NOT NULL,
        role          text NOT NULL,
        content_json  text NOT NULL,
        input_tokens  bigint,
        output_tokens bigint,
        at            bigint NOT NULL,
        PRIMARY KEY (run_id, phase_id, idx)
      );

      -- Process groups of running phases (SPEC §4), as in SQLite migration 002: a row left
      -- behind names a group a dead owner may have orphaned.
      CREATE TABLE phase_processes (
        run_id     text COLLATE "C" NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        phase_id   text COLLATE "C" NOT NULL,
        attempt    bigint NOT NULL,
        host       text COLLATE "C" NOT NULL,
        pgid       bigint NOT NULL,
        -- Identity of the group leader's start, so a reused pid is never taken for the group.
        start_time text,
        started_at bigint NOT NULL,
        PRIMARY KEY (run_id, host, pgid)
      );
      CREATE INDEX phase_processes_by_host ON phase_processes (host);
    `);
  },
};
