/** PostgreSQL migration 005 (phase logs) on a real server: an upgrade keeps every try; logs keep bytes exactly. */
import { beforeEach, describe, expect, it } from 'vitest';
import { useMigrationSchema } from '../pg-test-helpers';
import { PG_MIGRATIONS } from './index';
import { migration005 } from './005-phase-logs';

const db = useMigrationSchema();
const { q, migrateTo } = db;
const before = PG_MIGRATIONS.filter((m) => m.version < migration005.version);

beforeEach(async () => {
  await db.open(before);
  await q(`INSERT INTO runs (id, flow_name, status, inputs_json, created_at, updated_at, attempt) VALUES ('run-1', 'f', 'failed', '{}', 1, 2, 1)`);
  await q(`INSERT INTO phase_attempts (run_id, phase_id, attempt, run_attempt, def_hash, status, started_at, stdout_tail) VALUES ('run-1', 'test', 1, 1, 'h', 'failed', 1, 'tail')`);
});

const saveLog = (attempt: number, stream: string, text: Buffer) =>
  q(`INSERT INTO phase_logs (run_id, phase_id, attempt, stream, text, total_bytes, line_ends, marks_json) VALUES ('run-1', 'test', $1, $2, $3, $4, 0, '[]')`, [attempt, stream, text, text.length]);

describe('PostgreSQL migration 005: phase logs', () => {
  it('upgrades a version 4 schema: tries kept with their tails and no command line', async () => {
    expect(await migrateTo([...before, migration005])).toEqual({ from: 4, to: 5 });
    expect((await q(`SELECT convert_from(stdout_tail, 'UTF8') AS tail, command_line FROM phase_attempts`)).rows).toEqual([{ tail: 'tail', command_line: null }]);
  });

  it('keeps bytes exactly (NUL included), one row per stream of an existing try; a run’s logs go with it', async () => {
    await migrateTo([...before, migration005]);
    const bytes = Buffer.from('a\u0000b\n\uFFFD\n', 'utf8');
    await saveLog(1, 'stdout', bytes);
    expect(((await q(`SELECT text FROM phase_logs`)).rows[0] as { text: Buffer }).text.equals(bytes)).toBe(true);
    await expect(saveLog(1, 'stdin', bytes)).rejects.toThrow(/check constraint/);
    await expect(saveLog(2, 'stderr', bytes)).rejects.toThrow(/foreign key/);
    await q(`DELETE FROM runs WHERE id = 'run-1'`);
    expect((await q(`SELECT COUNT(*)::int AS n FROM phase_logs`)).rows).toEqual([{ n: 0 }]);
  });
});
