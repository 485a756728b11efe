/** PostgreSQL migration 001: the schema's keys, types and constraints, checked on a real server. */
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { usePostgres } from '../pg-test-helpers';
import { migratePg } from './index';
import { migration001 } from './001-initial';

const pg$ = usePostgres();
let client: pg.Client;
let schema: string;

beforeEach(async () => {
  const fresh = await pg$.schema();
  schema = fresh.schema;
  const pool = new pg.Pool({ connectionString: fresh.url });
  try {
    expect(await migratePg(pool, 'test-db', [migration001])).toEqual({ from: 0, to: 1 });
  } finally {
    await pool.end();
  }
  client = new pg.Client({ connectionString: fresh.url });
  await client.connect();
});

afterEach(() => client.end());

const q = (text: string, values: unknown[] = []) => client.query(text, values);
const insertRun = (id: string, status = 'running') => q(`INSERT INTO runs (id, flow_name, status, inputs_json, created_at, updated_at, attempt) VALUES ($1, 'f', $2, '{}', 1, 1, 1)`, [id, status]);
const insertPhase = (runId: string, phaseId: string, status = 'pending') =>
  q(`INSERT INTO run_phases (run_id, phase_id, position, kind, depends_on_json, def_hash, status) VALUES ($1, $2, 0, 'agent', '[]', 'h', $3)`, [runId, phaseId, status]);
const count = async (table: string) => Number((await q(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0].n);

describe('PostgreSQL migration 001: initial schema', () => {
  it('creates the tables with their primary keys', async () => {
    const keys = await q(
      `SELECT tc.table_name, string_agg(kcu.column_name, ',' ORDER BY kcu.ordinal_position) AS key
       FROM information_schema.table_constraints tc JOIN information_schema.key_column_usage kcu USING (constraint_schema, constraint_name)
       WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = $1 GROUP BY tc.table_name ORDER BY tc.table_name`,
      [schema],
    );
    expect(keys.rows).toEqual([
      { table_name: 'events', key: 'run_id,seq' },
      { table_name: 'phase_attempts', key: 'run_id,phase_id,attempt' },
      { table_name: 'phase_processes', key: 'run_id,host,pgid' },
      { table_name: 'phase_results', key: 'run_id,phase_id' },
      { table_name: 'run_attempts', key: 'run_id,attempt' },
      { table_name: 'run_phases', key: 'run_id,phase_id' },
      { table_name: 'runs', key: 'id' },
      { table_name: 'transcript', key: 'run_id,phase_id,idx' },
      { table_name: 'waymark_schema', key: 'one_row' },
    ]);
  });

  it('types columns exactly: integers are bigint, text that may hold NUL is bytea, JSON is text', async () => {
    const types = await q(`SELECT table_name || '.' || column_name AS col, data_type FROM information_schema.columns WHERE table_schema = $1`, [schema]);
    const typeOf = Object.fromEntries(types.rows.map((r: { col: string; data_type: string }) => [r.col, r.data_type]));
    for (const col of ['runs.created_at', 'runs.heartbeat_at', 'runs.owner_pid', 'runs.last_seq', 'transcript.idx', 'phase_processes.pgid', 'events.at', 'run_phases.exit_code']) expect(typeOf[col], col).toBe('bigint');
    for (const col of ['phase_results.output', 'phase_attempts.stdout_tail', 'phase_attempts.stderr_tail', 'run_attempts.flow_source']) expect(typeOf[col], col).toBe('bytea');
    for (const col of ['events.payload_json', 'transcript.content_json', 'runs.inputs_json', 'runs.owner_host']) expect(typeOf[col], col).toBe('text');
  });

  it('creates the indexes the runs list, the change feed, the reaper and stray processes use', async () => {
    const indexes = await q(`SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND indexname NOT LIKE '%_pkey' ORDER BY indexname`, [schema]);
    expect(indexes.rows.map((r: { indexname: string }) => r.indexname)).toEqual(['phase_processes_by_host', 'runs_by_created', 'runs_by_updated', 'runs_running']);
  });

  it('CHECK constraints reject an unknown run or phase status', async () => {
    await expect(insertRun('run-1', 'paused')).rejects.toThrow(/violates check constraint/);
    await insertRun('run-1');
    await expect(q(`UPDATE runs SET status = 'done' WHERE id = 'run-1'`)).rejects.toThrow(/violates check constraint/);
    await expect(insertPhase('run-1', 'p', 'waiting')).rejects.toThrow(/violates check constraint/);
    await insertPhase('run-1', 'p', 'skipped');
    expect(await count('run_phases')).toBe(1);
  });

  it('typed columns reject values of the wrong type', async () => {
    await expect(q(`INSERT INTO runs (id, flow_name, status, inputs_json, created_at, updated_at, attempt) VALUES ('r', 'f', 'running', '{}', $1, 1, 1)`, ['yesterday'])).rejects.toThrow(/invalid input syntax for type bigint/);
  });

  it('refuses rows of an unknown run and deletes a run\'s rows with it', async () => {
    await expect(insertPhase('ghost', 'p')).rejects.toThrow(/violates foreign key constraint/);
    await insertRun('run-1');
    await insertRun('run-2');
    for (const run of ['run-1', 'run-2']) {
      await insertPhase(run, 'p');
      await q(`INSERT INTO events (run_id, seq, type, payload_json, at) VALUES ($1, 1, 'run.started', '{}', 1)`, [run]);
      await q(`INSERT INTO transcript (run_id, phase_id, idx, attempt, role, content_json, at) VALUES ($1, 'p', 0, 1, 'user', '"hi"', 1)`, [run]);
      await q(`INSERT INTO phase_processes (run_id, phase_id, attempt, host, pgid, started_at) VALUES ($1, 'p', 1, 'box', 7, 1)`, [run]);
    }
    await q(`DELETE FROM runs WHERE id = 'run-1'`);
    expect([await count('run_phases'), await count('events'), await count('transcript'), await count('phase_processes')]).toEqual([1, 1, 1, 1]);
  });

  it('ids sort by code unit, like SQLite\'s BINARY collation, whatever the database locale', async () => {
    for (const id of ['run-b', 'Run-c', 'run_a', 'run-A']) await insertRun(id);
    const ids = (await q(`SELECT id FROM runs ORDER BY id`)).rows.map((r: { id: string }) => r.id);
    expect(ids).toEqual(['Run-c', 'run-A', 'run-b', 'run_a']);
    const collations = await q(`SELECT DISTINCT collation_name FROM information_schema.columns WHERE table_schema = $1 AND column_name IN ('id', 'run_id', 'phase_id', 'host')`, [schema]);
    expect(collations.rows).toEqual([{ collation_name: 'C' }]);
  });
});
