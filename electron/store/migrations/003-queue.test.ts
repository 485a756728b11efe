import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migration001 } from './001-initial';
import { migration002 } from './002-process-groups';
import { migration003 } from './003-queue';
import { migrate } from './index';

let db: Database.Database;

beforeEach(async () => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, [migration001, migration002]);
});

afterEach(() => db.close());

const upgrade = () => migrate(db, [migration001, migration002, migration003]);
const insertRun = (id: string, status: string) =>
  db.prepare(`INSERT INTO runs (id, flow_name, status, inputs_json, created_at, updated_at, attempt, owner_id, owner_pid, owner_host) VALUES (?, 'f', ?, '{"k":"v"}', 1, 2, 1, 'o', 42, 'box')`).run(id, status);
const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('migration 003: queue', () => {
  it('upgrades a version 2 database: every run and child row kept, queue columns at their defaults', async () => {
    for (const status of ['running', 'succeeded', 'failed', 'interrupted', 'cancelled']) insertRun(`run-${status}`, status);
    db.prepare(`INSERT INTO run_phases (run_id, phase_id, position, kind, depends_on_json, def_hash, status) VALUES ('run-failed', 'p', 0, 'agent', '[]', 'h', 'failed')`).run();
    db.prepare(`INSERT INTO events (run_id, seq, type, payload_json, at) VALUES ('run-failed', 1, 'run.started', '{}', 1)`).run();
    db.prepare(`INSERT INTO phase_processes (run_id, phase_id, attempt, host, pgid, started_at) VALUES ('run-running', 'p', 1, 'box', 7, 1)`).run();
    expect(upgrade()).toEqual({ from: 2, to: 3 });
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(count('runs')).toBe(5);
    expect([count('run_phases'), count('events'), count('phase_processes')]).toEqual([1, 1, 1]);
    expect(db.prepare(`SELECT * FROM runs WHERE id = 'run-running'`).get()).toMatchObject({
      status: 'running', inputs_json: '{"k":"v"}', owner_id: 'o', owner_pid: 42, owner_host: 'box', updated_at: 2,
      queued_at: null, queue_source: null, queue_restart_phase: null, claimed_by: null, requeue_count: 0,
    });
  });

  it('accepts the queued and waiting statuses and still refuses unknown ones', async () => {
    upgrade();
    insertRun('q', 'queued');
    insertRun('w', 'waiting');
    expect(() => insertRun('x', 'paused')).toThrow(/CHECK constraint failed/);
    expect(count('runs')).toBe(2);
  });

  it('keeps foreign keys on, and runs still cascade to their rows', async () => {
    insertRun('run-1', 'failed');
    db.prepare(`INSERT INTO events (run_id, seq, type, payload_json, at) VALUES ('run-1', 1, 'run.started', '{}', 1)`).run();
    upgrade();
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(() => db.prepare(`INSERT INTO events (run_id, seq, type, payload_json, at) VALUES ('ghost', 1, 't', '{}', 1)`).run()).toThrow(/FOREIGN KEY constraint failed/);
    db.prepare(`DELETE FROM runs WHERE id = 'run-1'`).run();
    expect(count('events')).toBe(0);
  });

  it('indexes the queue for claims, oldest first, and keeps the older indexes', async () => {
    upgrade();
    const indexes = (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'runs' AND sql IS NOT NULL ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
    expect(indexes).toEqual(['runs_by_created', 'runs_by_updated', 'runs_queued', 'runs_running']);
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM runs WHERE status = 'queued' ORDER BY queued_at, id LIMIT 1`).all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('runs_queued');
  });

  it('STRICT columns refuse a requeue count that is not a whole number', async () => {
    upgrade();
    insertRun('run-1', 'queued');
    expect(() => db.prepare(`UPDATE runs SET requeue_count = 'twice' WHERE id = 'run-1'`).run()).toThrow(/cannot store TEXT value in INTEGER column/);
  });
});
