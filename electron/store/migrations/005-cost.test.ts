import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from './index';
import { migration005 } from './005-cost';

let db: Database.Database;
const before = MIGRATIONS.filter((m) => m.version < migration005.version);
const upTo5 = MIGRATIONS.filter((m) => m.version <= migration005.version);

beforeEach(() => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, before);
});

afterEach(() => db.close());

const run = (sql: string, ...values: unknown[]) => db.prepare(sql).run(...values);
const row = (sql: string, ...values: unknown[]) => db.prepare(sql).get(...values) as Record<string, unknown>;

/** A run of two attempts: phase `a` took two steps in attempt 1 (try 1), one in attempt 2 (try 2); `b` one step and a tool entry. */
function seed(): void {
  run(`INSERT INTO runs (id, flow_name, status, inputs_json, created_at, updated_at, attempt, input_tokens, output_tokens) VALUES ('r', 'f', 'failed', '{}', 1, 1, 2, 111, 22)`);
  for (const attempt of [1, 2]) run(`INSERT INTO run_attempts (run_id, attempt, flow_source, started_at, status, pid) VALUES ('r', ?, 'x', 1, 'failed', 1)`, attempt);
  for (const id of ['a', 'b']) run(`INSERT INTO run_phases (run_id, phase_id, position, kind, depends_on_json, def_hash, status) VALUES ('r', ?, 0, 'agent', '[]', 'h', 'failed')`, id);
  run(`INSERT INTO phase_attempts (run_id, phase_id, attempt, run_attempt, def_hash, status, started_at) VALUES ('r', 'a', 1, 1, 'h', 'failed', 1), ('r', 'a', 2, 2, 'h', 'failed', 1), ('r', 'b', 1, 1, 'h', 'failed', 1)`);
  const entry = `INSERT INTO transcript (run_id, phase_id, idx, attempt, role, content_json, input_tokens, output_tokens, at) VALUES ('r', ?, ?, ?, ?, '{}', ?, ?, 1)`;
  run(entry, 'a', 0, 1, 'assistant', 50, 5);
  run(entry, 'a', 1, 1, 'assistant', 50, 5);
  run(entry, 'a', 2, 2, 'assistant', 10, 2);
  run(entry, 'b', 0, 1, 'assistant', 1, 10);
  run(entry, 'b', 1, 1, 'tool', null, null);
}

describe('migration 005: cost', () => {
  it('counts every step saved before as an unpriced step, in each sum', () => {
    seed();
    expect(migrate(db, upTo5)).toEqual({ from: 4, to: 5 });
    expect(row(`SELECT steps, unpriced_steps, cost_usd, cached_input_tokens, reasoning_tokens, input_tokens FROM runs`)).toEqual({ steps: 4, unpriced_steps: 4, cost_usd: 0, cached_input_tokens: 0, reasoning_tokens: 0, input_tokens: 111 });
    const phases = db.prepare(`SELECT phase_id, steps, unpriced_steps FROM run_phases ORDER BY phase_id`).all();
    expect(phases).toEqual([{ phase_id: 'a', steps: 3, unpriced_steps: 3 }, { phase_id: 'b', steps: 1, unpriced_steps: 1 }]);
    const tries = db.prepare(`SELECT phase_id, attempt, steps, unpriced_steps FROM phase_attempts ORDER BY phase_id, attempt`).all();
    expect(tries).toEqual([
      { phase_id: 'a', attempt: 1, steps: 2, unpriced_steps: 2 },
      { phase_id: 'a', attempt: 2, steps: 1, unpriced_steps: 1 },
      { phase_id: 'b', attempt: 1, steps: 1, unpriced_steps: 1 },
    ]);
    const attempts = db.prepare(`SELECT attempt, steps, unpriced_steps, budget_json FROM run_attempts ORDER BY attempt`).all();
    expect(attempts).toEqual([{ attempt: 1, steps: 3, unpriced_steps: 3, budget_json: null }, { attempt: 2, steps: 1, unpriced_steps: 1, budget_json: null }]);
    expect(row(`SELECT cached_input_tokens, cache_write_tokens, reasoning_tokens, cost_usd FROM transcript WHERE idx = 0 AND phase_id = 'a'`)).toEqual({ cached_input_tokens: null, cache_write_tokens: null, reasoning_tokens: null, cost_usd: null });
  });

  it('stores a step cost as REAL and refuses text where a number belongs (STRICT)', () => {
    migrate(db, upTo5);
    run(`INSERT INTO runs (id, flow_name, status, inputs_json, created_at, updated_at, attempt) VALUES ('r', 'f', 'running', '{}', 1, 1, 1)`);
    run(`UPDATE runs SET cost_usd = cost_usd + 0.1 + 0.2 WHERE id = 'r'`);
    expect(row(`SELECT cost_usd FROM runs`).cost_usd).toBe(0.1 + 0.2);
    expect(() => run(`UPDATE runs SET cost_usd = 'a lot' WHERE id = 'r'`)).toThrow(/cannot store TEXT value in REAL column/);
  });
});
