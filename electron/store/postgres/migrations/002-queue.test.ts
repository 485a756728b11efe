/** PostgreSQL migration 002 (queue) on a real server: an upgrade keeps every row; the new statuses and columns. */
import { beforeEach, describe, expect, it } from 'vitest';
import { useMigrationSchema } from '../pg-test-helpers';
import { migration001 } from './001-initial';
import { migration002 } from './002-queue';

const db = useMigrationSchema();
const { q, migrateTo } = db;

beforeEach(async () => {
  expect(await db.open([migration001])).toEqual({ from: 0, to: 1 });
});

const insertRun = (id: string, status: string) => q(`INSERT INTO runs (id, flow_name, status, inputs_json, created_at, updated_at, attempt, owner_id) VALUES ($1, 'f', $2, '{}', 1, 1, 1, 'o')`, [id, status]);

describe('PostgreSQL migration 002: queue', () => {
  it('upgrades a version 1 schema: runs and their rows kept, queue columns at their defaults', async () => {
    await insertRun('run-1', 'failed');
    await q(`INSERT INTO events (run_id, seq, type, payload_json, at) VALUES ('run-1', 1, 'run.started', '{}', 1)`);
    expect(await migrateTo([migration001, migration002])).toEqual({ from: 1, to: 2 });
    expect((await q(`SELECT status, owner_id, queued_at, queue_source, queue_restart_phase, claimed_by, requeue_count FROM runs`)).rows).toEqual([
      { status: 'failed', owner_id: 'o', queued_at: null, queue_source: null, queue_restart_phase: null, claimed_by: null, requeue_count: expect.anything() },
    ]);
    expect(Number((await q(`SELECT requeue_count FROM runs`)).rows[0].requeue_count)).toBe(0);
    expect(Number((await q(`SELECT COUNT(*) AS n FROM events`)).rows[0].n)).toBe(1);
  });

  it('accepts the queued and waiting statuses and still refuses unknown ones', async () => {
    await migrateTo([migration001, migration002]);
    await insertRun('q', 'queued');
    await insertRun('w', 'waiting');
    await expect(insertRun('x', 'paused')).rejects.toThrow(/violates check constraint/);
  });

  it('types the queue columns like the rest of the schema and indexes the queue', async () => {
    await migrateTo([migration001, migration002]);
    const types = await q(`SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'runs' AND column_name IN ('queued_at', 'queue_source', 'queue_restart_phase', 'claimed_by', 'requeue_count') ORDER BY column_name`, [db.schema]);
    expect(types.rows).toEqual([
      { column_name: 'claimed_by', data_type: 'text' },
      { column_name: 'queue_restart_phase', data_type: 'text' },
      { column_name: 'queue_source', data_type: 'bytea' },
      { column_name: 'queued_at', data_type: 'bigint' },
      { column_name: 'requeue_count', data_type: 'bigint' },
    ]);
    const indexes = await q(`SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = 'runs' AND indexname NOT LIKE '%_pkey' ORDER BY indexname`, [db.schema]);
    expect(indexes.rows.map((r: { indexname: string }) => r.indexname)).toEqual(['runs_by_created', 'runs_by_updated', 'runs_queued', 'runs_running']);
  });
});
