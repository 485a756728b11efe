import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from './index';
import { migration007 } from './007-history';

let db: Database.Database;
const before = MIGRATIONS.filter((m) => m.version < migration007.version);
const upgrade = () => migrate(db, [...before, migration007]);
const runRow = (id: string, status: string, attempt: number) =>
  db.prepare(`INSERT INTO runs (id, flow_name, status, inputs_json, created_at, updated_at, attempt) VALUES (?, 'f', ?, '{}', 100, 100, ?)`).run(id, status, attempt);
const attemptRow = (runId: string, attempt: number, startedAt: number, finishedAt: number | null) =>
  db.prepare(`INSERT INTO run_attempts (run_id, attempt, flow_source, started_at, finished_at, status, pid) VALUES (?, ?, 'name: f', ?, ?, 'failed', 1)`).run(runId, attempt, startedAt, finishedAt);

beforeEach(() => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, before);
  // A failed run of two attempts (100..400 and 1000..1250), and a run still running its second (5000..).
  runRow('run-1', 'failed', 2);
  attemptRow('run-1', 1, 100, 400);
  attemptRow('run-1', 2, 1000, 1250);
  runRow('run-2', 'running', 2);
  attemptRow('run-2', 1, 100, 200);
  attemptRow('run-2', 2, 5000, null);
  db.prepare(`INSERT INTO phase_attempts (run_id, phase_id, attempt, run_attempt, def_hash, status, started_at) VALUES ('run-1', 'a', 1, 1, 'h', 'succeeded', 1)`).run();
});

afterEach(() => db.close());

describe('migration 007: history', () => {
  it('gives existing runs the active time of their ended attempts and, while running, the start of their attempt', () => {
    expect(upgrade()).toEqual({ from: 6, to: 7 });
    const rows = db.prepare(`SELECT id, active_ms, attempt_started_at, rerun_of_run_id, rerun_of_phase FROM runs ORDER BY id`).all();
    expect(rows).toEqual([
      { id: 'run-1', active_ms: 300 + 250, attempt_started_at: null, rerun_of_run_id: null, rerun_of_phase: null },
      { id: 'run-2', active_ms: 100, attempt_started_at: 5000, rerun_of_run_id: null, rerun_of_phase: null },
    ]);
  });

  it('tries gain an output column, empty until a later success replaces theirs', () => {
    upgrade();
    expect(db.prepare(`SELECT output FROM phase_attempts`).get()).toEqual({ output: null });
    expect(() => db.prepare(`UPDATE runs SET active_ms = NULL`).run()).toThrow(/NOT NULL/);
  });
});
