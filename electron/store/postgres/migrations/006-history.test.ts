/** PostgreSQL migration 006 (history) on a real server: existing runs get their active time; tries an output column. */
import { beforeEach, describe, expect, it } from 'vitest';
import { useMigrationSchema } from '../pg-test-helpers';
import { PG_MIGRATIONS } from './index';
import { migration006 } from './006-history';

const db = useMigrationSchema();
const { q, migrateTo } = db;
const before = PG_MIGRATIONS.filter((m) => m.version < migration006.version);

beforeEach(async () => {
  await db.open(before);
  const run = (id: string, status: string) => q(`INSERT INTO runs (id, flow_name, status, inputs_json, created_at, updated_at, attempt) VALUES ($1, 'f', $2, '{}', 100, 100, 2)`, [id, status]);
  const attempt = (runId: string, n: number, startedAt: number, finishedAt: number | null) =>
    q(`INSERT INTO run_attempts (run_id, attempt, flow_source, started_at, finished_at, status, pid) VALUES ($1, $2, 'name: f', $3, $4, 'failed', 1)`, [runId, n, startedAt, finishedAt]);
  await run('run-1', 'failed');
  await attempt('run-1', 1, 100, 400);
  await attempt('run-1', 2, 1000, 1250);
  await run('run-2', 'running');
  await attempt('run-2', 1, 100, 200);
  await attempt('run-2', 2, 5000, null);
  await q(`INSERT INTO phase_attempts (run_id, phase_id, attempt, run_attempt, def_hash, status, started_at) VALUES ('run-1', 'a', 1, 1, 'h', 'succeeded', 1)`);
});


describe('PostgreSQL migration 006: history', () => {
  it('gives existing runs the active time of their ended attempts and, while running, the start of their attempt; tries an empty output', async () => {
    expect(await migrateTo([...before, migration006])).toEqual({ from: 5, to: 6 });
    const rows = (await q(`SELECT id, active_ms::int AS active, attempt_started_at::int AS began, rerun_of_run_id, rerun_of_phase FROM runs ORDER BY id`)).rows;
    expect(rows).toEqual([
      { id: 'run-1', active: 550, began: null, rerun_of_run_id: null, rerun_of_phase: null },
      { id: 'run-2', active: 100, began: 5000, rerun_of_run_id: null, rerun_of_phase: null },
    ]);
    expect((await q(`SELECT output FROM phase_attempts`)).rows).toEqual([{ output: null }]);
  });
});
