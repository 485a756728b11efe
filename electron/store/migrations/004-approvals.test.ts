import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migration001 } from './001-initial';
import { migration002 } from './002-process-groups';
import { migration003 } from './003-queue';
import { migration004 } from './004-approvals';
import { migrate } from './index';

let db: Database.Database;

beforeEach(() => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, [migration001, migration002, migration003]);
  db.prepare(`INSERT INTO runs (id, flow_name, status, inputs_json, created_at, updated_at, attempt) VALUES ('run-1', 'f', 'failed', '{}', 1, 2, 1)`).run();
});

afterEach(() => db.close());

const upgrade = () => migrate(db, [migration001, migration002, migration003, migration004]);
const insertPhase = (id: string, status: string) =>
  db.prepare(`INSERT INTO run_phases (run_id, phase_id, position, kind, depends_on_json, def_hash, status, attempts, error_json, input_tokens) VALUES ('run-1', ?, 0, 'command', '[]', 'h', ?, 2, '{"code":"X"}', 7)`).run(id, status);
const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('migration 004: approvals', () => {
  it('upgrades a version 3 database: every phase row kept as it was, the new columns empty', () => {
    for (const status of ['pending', 'running', 'succeeded', 'failed', 'interrupted', 'skipped']) insertPhase(`p-${status}`, status);
    expect(upgrade()).toEqual({ from: 3, to: 4 });
    expect(count('run_phases')).toBe(6);
    expect(db.prepare(`SELECT * FROM run_phases WHERE phase_id = 'p-failed'`).get()).toMatchObject({
      run_id: 'run-1', status: 'failed', attempts: 2, error_json: '{"code":"X"}', input_tokens: 7, waiting_json: null, decision_json: null,
    });
    expect(db.prepare(`SELECT waiting_for_json FROM runs WHERE id = 'run-1'`).get()).toEqual({ waiting_for_json: null });
  });

  it('accepts the waiting phase status and still refuses unknown ones', () => {
    upgrade();
    insertPhase('w', 'waiting');
    expect(() => insertPhase('x', 'paused')).toThrow(/CHECK constraint failed/);
  });

  it('keeps one decision per try, refuses unknown decisions, and deletes them with their run', () => {
    upgrade();
    const decide = (attempt: number, decision: string) =>
      db.prepare(`INSERT INTO approvals (run_id, phase_id, attempt, decision, decided_by, comment, at) VALUES ('run-1', 'review', ?, ?, 'ada', '', 3)`).run(attempt, decision);
    decide(1, 'approved');
    expect(() => decide(1, 'rejected')).toThrow(/UNIQUE constraint failed/);
    expect(() => decide(2, 'maybe')).toThrow(/CHECK constraint failed/);
    insertPhase('review', 'waiting');
    db.prepare(`DELETE FROM runs WHERE id = 'run-1'`).run();
    expect([count('approvals'), count('run_phases')]).toEqual([0, 0]);
  });
});
