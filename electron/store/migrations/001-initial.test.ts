import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migration001 } from './001-initial';
import { migrate } from './index';

let db: Database.Database;

beforeEach(async () => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  expect(migrate(db, [migration001])).toEqual({ from: 0, to: 1 });
});

afterEach(() => db.close());

/** Column names of a table, and its primary key columns in key order. */
function shape(table: string): { columns: string[]; key: string[] } {
  const info = db.pragma(`table_info(${table})`) as { name: string; pk: number }[];
  return {
    columns: info.map((c) => c.name),
    key: info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
  };
}

const insertRun = (id: string, status = 'running') =>
  db.prepare(`INSERT INTO runs (id, flow_name, status, inputs_json, created_at, updated_at, attempt) VALUES (?, 'f', ?, '{}', 1, 1, 1)`).run(id, status);
const insertPhase = (runId: string, phaseId: string, status = 'pending') =>
  db.prepare(`INSERT INTO run_phases (run_id, phase_id, position, kind, depends_on_json, def_hash, status) VALUES (?, ?, 0, 'agent', '[]', 'h', ?)`).run(runId, phaseId, status);
const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('migration 001: initial schema', () => {
  it('sets user_version to 1', async () => {
    expect(db.pragma('user_version', { simple: true })).toBe(1);
  });

  it('creates the tables with their key columns and primary keys', async () => {
    const expected: Record<string, { has: string[]; key: string[] }> = {
      runs: { has: ['status', 'inputs_json', 'attempt', 'last_seq', 'owner_id', 'owner_pid', 'heartbeat_at', 'input_tokens', 'output_tokens'], key: ['id'] },
      run_attempts: { has: ['flow_source', 'status', 'pid', 'restart_phase', 'input_tokens'], key: ['run_id', 'attempt'] },
      run_phases: { has: ['position', 'kind', 'depends_on_json', 'def_hash', 'status', 'attempts', 'error_json', 'exit_code'], key: ['run_id', 'phase_id'] },
      phase_attempts: { has: ['run_attempt', 'def_hash', 'status', 'stdout_tail', 'stderr_tail'], key: ['run_id', 'phase_id', 'attempt'] },
      phase_results: { has: ['def_hash', 'output', 'output_sha256', 'attempt', 'completed_at'], key: ['run_id', 'phase_id'] },
      events: { has: ['type', 'payload_json', 'at'], key: ['run_id', 'seq'] },
      transcript: { has: ['attempt', 'role', 'content_json', 'input_tokens', 'output_tokens', 'at'], key: ['run_id', 'phase_id', 'idx'] },
    };
    for (const [table, want] of Object.entries(expected)) {
      const got = shape(table);
      expect(got.key, table).toEqual(want.key);
      expect(got.columns, table).toEqual(expect.arrayContaining(want.has));
    }
  });

  it('creates the indexes the runs list, the change feed and the reaper use', async () => {
    const indexes = (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'runs' AND sql IS NOT NULL ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
    expect(indexes).toEqual(['runs_by_created', 'runs_by_updated', 'runs_running']);
  });

  it('CHECK constraints reject an unknown run or phase status', async () => {
    expect(() => insertRun('run-1', 'paused')).toThrow(/CHECK constraint failed/);
    insertRun('run-1');
    expect(() => db.prepare(`UPDATE runs SET status = 'done' WHERE id = 'run-1'`).run()).toThrow(/CHECK constraint failed/);
    expect(() => insertPhase('run-1', 'p', 'waiting')).toThrow(/CHECK constraint failed/);
    insertPhase('run-1', 'p', 'skipped');
    expect(count('run_phases')).toBe(1);
  });

  it('STRICT columns reject values of the wrong type', async () => {
    expect(() => db.prepare(`INSERT INTO runs (id, flow_name, status, inputs_json, created_at, updated_at, attempt) VALUES ('r', 'f', 'running', '{}', 'yesterday', 1, 1)`).run()).toThrow(/cannot store TEXT value in INTEGER column/);
  });

  it('refuses rows of an unknown run and deletes a run\'s rows with it', async () => {
    expect(() => insertPhase('ghost', 'p')).toThrow(/FOREIGN KEY constraint failed/);
    insertRun('run-1');
    insertRun('run-2');
    for (const run of ['run-1', 'run-2']) {
      insertPhase(run, 'p');
      db.prepare(`INSERT INTO events (run_id, seq, type, payload_json, at) VALUES (?, 1, 'run.started', '{}', 1)`).run(run);
      db.prepare(`INSERT INTO transcript (run_id, phase_id, idx, attempt, role, content_json, at) VALUES (?, 'p', 0, 1, 'user', '"hi"', 1)`).run(run);
    }
    db.prepare(`DELETE FROM runs WHERE id = 'run-1'`).run();
    expect([count('run_phases'), count('events'), count('transcript')]).toEqual([1, 1, 1]);
  });

  it('numbers events and transcript entries uniquely per run', async () => {
    insertRun('run-1');
    const event = db.prepare(`INSERT INTO events (run_id, seq, type, payload_json, at) VALUES ('run-1', ?, 't', '{}', 1)`);
    event.run(1);
    expect(() => event.run(1)).toThrow(/UNIQUE constraint failed|PRIMARY KEY/);
  });
});
