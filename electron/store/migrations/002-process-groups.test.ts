import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migration001 } from './001-initial';
import { migration002 } from './002-process-groups';
import { migrate } from './index';

let db: Database.Database;

beforeEach(async () => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
});

afterEach(() => db.close());

const insertRun = (id: string) =>
  db.prepare(`INSERT INTO runs (id, flow_name, status, inputs_json, created_at, updated_at, attempt, owner_id, owner_pid) VALUES (?, 'f', 'running', '{}', 1, 1, 1, 'o', 42)`).run(id);
const insertProcess = (runId: string, pgid: number, startTime: unknown = '7@boot') =>
  db.prepare(`INSERT INTO phase_processes (run_id, phase_id, attempt, host, pgid, start_time, started_at) VALUES (?, 'p', 1, 'box', ?, ?, 5)`).run(runId, pgid, startTime);
const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('migration 002: process groups', () => {
  it('upgrades a version 1 database with runs in it: their owner host is NULL (this host)', async () => {
    migrate(db, [migration001]);
    insertRun('run-1');
    expect(migrate(db, [migration001, migration002])).toEqual({ from: 1, to: 2 });
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare(`SELECT owner_pid, owner_host FROM runs WHERE id = 'run-1'`).get()).toEqual({ owner_pid: 42, owner_host: null });
  });

  it('keys a process by run, host and group id; a second record of the same group is refused', async () => {
    migrate(db, [migration001, migration002]);
    insertRun('run-1');
    insertProcess('run-1', 100);
    insertProcess('run-1', 101, null);
    expect(() => insertProcess('run-1', 100)).toThrow(/UNIQUE constraint failed|PRIMARY KEY/);
    expect(count('phase_processes')).toBe(2);
  });

  it('STRICT columns refuse a group id that is not a whole number', async () => {
    migrate(db, [migration001, migration002]);
    insertRun('run-1');
    expect(() => insertProcess('run-1', 'pid-7' as unknown as number)).toThrow(/cannot store TEXT value in INTEGER column/);
  });

  it('refuses a process of an unknown run and deletes a run\'s processes with it', async () => {
    migrate(db, [migration001, migration002]);
    expect(() => insertProcess('ghost', 1)).toThrow(/FOREIGN KEY constraint failed/);
    insertRun('run-1');
    insertRun('run-2');
    insertProcess('run-1', 1);
    insertProcess('run-2', 2);
    db.prepare(`DELETE FROM runs WHERE id = 'run-1'`).run();
    expect(db.prepare(`SELECT run_id, pgid FROM phase_processes`).all()).toEqual([{ run_id: 'run-2', pgid: 2 }]);
  });
});
