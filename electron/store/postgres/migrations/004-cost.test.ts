/** PostgreSQL migration 004 (cost) on a real server: steps saved before count as unpriced; the new columns' types. */
import { beforeEach, describe, expect, it } from 'vitest';
import { useMigrationSchema } from '../pg-test-helpers';
import { PG_MIGRATIONS } from './index';
import { migration004 } from './004-cost';

const db = useMigrationSchema();
const { q, migrateTo } = db;

const before = PG_MIGRATIONS.filter((m) => m.version < migration004.version);
const upTo4 = PG_MIGRATIONS.filter((m) => m.version <= migration004.version);

beforeEach(async () => {
  await db.open(before);
});

const numbers = (rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v])));

describe('PostgreSQL migration 004: cost', () => {
  it('counts every step saved before as an unpriced step, in each sum', async () => {
    await q(`INSERT INTO runs (id, flow_name, status, inputs_json, created_at, updated_at, attempt) VALUES ('r', 'f', 'failed', '{}', 1, 1, 2)`);
    await q(`INSERT INTO run_attempts (run_id, attempt, flow_source, started_at, status, pid) VALUES ('r', 1, 'x', 1, 'failed', 1), ('r', 2, 'x', 1, 'failed', 1)`);
    await q(`INSERT INTO run_phases (run_id, phase_id, position, kind, depends_on_json, def_hash, status) VALUES ('r', 'a', 0, 'agent', '[]', 'h', 'failed')`);
    await q(`INSERT INTO phase_attempts (run_id, phase_id, attempt, run_attempt, def_hash, status, started_at) VALUES ('r', 'a', 1, 1, 'h', 'failed', 1), ('r', 'a', 2, 2, 'h', 'failed', 1)`);
    await q(`INSERT INTO transcript (run_id, phase_id, idx, attempt, role, content_json, input_tokens, output_tokens, at) VALUES
      ('r', 'a', 0, 1, 'assistant', '{}', 5, 1, 1), ('r', 'a', 1, 1, 'tool', '{}', NULL, NULL, 1), ('r', 'a', 2, 2, 'assistant', '{}', 3, 1, 1)`);
    expect(await migrateTo(upTo4)).toEqual({ from: before.length, to: upTo4.length });
    expect(numbers((await q(`SELECT steps, unpriced_steps, cost_usd FROM runs`)).rows)).toEqual([{ steps: 2, unpriced_steps: 2, cost_usd: 0 }]);
    expect(numbers((await q(`SELECT steps, unpriced_steps FROM run_phases`)).rows)).toEqual([{ steps: 2, unpriced_steps: 2 }]);
    expect(numbers((await q(`SELECT attempt, steps, unpriced_steps, budget_json FROM run_attempts ORDER BY attempt`)).rows)).toEqual([
      { attempt: 1, steps: 1, unpriced_steps: 1, budget_json: null },
      { attempt: 2, steps: 1, unpriced_steps: 1, budget_json: null },
    ]);
    expect(numbers((await q(`SELECT attempt, steps FROM phase_attempts ORDER BY attempt`)).rows)).toEqual([{ attempt: 1, steps: 1 }, { attempt: 2, steps: 1 }]);
  });

  it('types cost as double precision and counts as bigint', async () => {
    await migrateTo(upTo4);
    const types = await q(`SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND column_name IN ('cost_usd', 'unpriced_steps', 'cache_write_tokens') ORDER BY table_name, column_name`, [db.schema]);
    expect(types.rows).toEqual([
      { table_name: 'phase_attempts', column_name: 'cost_usd', data_type: 'double precision' },
      { table_name: 'phase_attempts', column_name: 'unpriced_steps', data_type: 'bigint' },
      { table_name: 'run_attempts', column_name: 'cost_usd', data_type: 'double precision' },
      { table_name: 'run_attempts', column_name: 'unpriced_steps', data_type: 'bigint' },
      { table_name: 'run_phases', column_name: 'cost_usd', data_type: 'double precision' },
      { table_name: 'run_phases', column_name: 'unpriced_steps', data_type: 'bigint' },
      { table_name: 'runs', column_name: 'cost_usd', data_type: 'double precision' },
      { table_name: 'runs', column_name: 'unpriced_steps', data_type: 'bigint' },
      { table_name: 'transcript', column_name: 'cache_write_tokens', data_type: 'bigint' },
      { table_name: 'transcript', column_name: 'cost_usd', data_type: 'double precision' },
    ]);
  });
});
