import type { Migration } from './migration';

/**
 * Process groups of running phases, and the host of each run's owner (SPEC §4: a resume
 * stops the previous owner's commands first). A row is written as soon as a command's
 * group is spawned and deleted when it ends; a row left behind names a group a dead
 * owner may have orphaned. Owners recorded before this migration have no host (NULL):
 * those databases were used on one machine, so NULL reads as "this host".
 */
export const migration002: Migration = {
  version: 2,
  name: 'process groups',
  up: (db) => {
    db.exec(`
      ALTER TABLE runs ADD COLUMN owner_host TEXT;

      CREATE TABLE phase_processes (
        run_id     TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        phase_id   TEXT NOT NULL,
        attempt    INTEGER NOT NULL,
        host       TEXT NOT NULL,
        pgid       INTEGER NOT NULL,
        -- Identity of the group leader's start (Linux: boot id + /proc start time), so a
        -- reused pid is never taken for the group; NULL where the platform cannot tell.
        start_time TEXT,
        started_at INTEGER NOT NULL,
        PRIMARY KEY (run_id, host, pgid)
      ) STRICT;
      CREATE INDEX phase_processes_by_host ON phase_processes (host);
    `);
  },
};
