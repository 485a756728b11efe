/** PostgreSQL migration 003 (approvals) on a real server: an upgrade keeps every phase row; the waiting status, columns and the approvals table. */
import { beforeEach, describe, expect, it } from 'vitest';
import { useMigrationSchema } from '../pg-test-helpers';
import { migration001 } from './001-initial';
import { migration002 } from './002-queue';
import { migration003 } from './003-approvals';

const db = useMigrationSchema();
const { q, migrateTo } = db;

beforeEach(async () => {
  expect(await db.open([migration001, migration002])).toEqual({ from: 0, to: 2 });
  await q(`INSERT INTO runs (id, flow_name, status, inputs_json, created_at, updated_at, attempt) VALUES ('run-1', 'f', 'failed', '{}', 1, 1, 1)`);
});

const insertPhase = (id: string, status: string) =>
  q(`INSERT INTO run_phases (run_id, phase_id, position, kind, depends_on_json, def_hash, status, attempts, error_json) VALUES ('run-1', $1, 0, 'command', '[]', 'h', $2, 2, '{"code":"X"}')`, [id, status]);
const upgrade = () => migrateTo([migration001, migration002, migration003]);

describe('PostgreSQL migration 003: approvals', () => {
  it('upgrades a version 2 schema: phase rows kept, the new columns empty', async () => {
    await insertPhase('p', 'failed');
    expect(await upgrade()).toEqual({ from: 2, to: 3 });
    expect((await q(`SELECT status, error_json, waiting_json, decision_json FROM run_phases`)).rows).toEqual([{ status: 'failed', error_json: '{"code":"X"}', waiting_json: null, decision_json: null }]);
    expect((await q(`SELECT waiting_for_json FROM runs`)).rows).toEqual([{ waiting_for_json: null }]);
  });

  it('accepts the waiting phase status, keeps one decision per try and deletes decisions with their run', async () => {
    await upgrade();
    await insertPhase('review', 'waiting');
    await expect(insertPhase('x', 'paused')).rejects.toThrow(/violates check constraint/);
    const decide = (attempt: number, decision: string) =>
      q(`INSERT INTO approvals (run_id, phase_id, attempt, decision, decided_by, comment, at) VALUES ('run-1', 'review', $1, $2, 'ada', $3, 3)`, [attempt, decision, Buffer.from('ok\u0000')]);
    await decide(1, 'approved');
    await expect(decide(1, 'rejected')).rejects.toThrow(/duplicate key/);
    await expect(decide(2, 'maybe')).rejects.toThrow(/violates check constraint/);
    await q(`DELETE FROM runs WHERE id = 'run-1'`);
    expect(Number((await q(`SELECT COUNT(*) AS n FROM approvals`)).rows[0].n)).toBe(0);
  });
});
