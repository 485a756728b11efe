/**
 * The checkpoint-store conformance suite against a real PostgreSQL server, one fresh
 * schema per test. The server comes from WAYMARK_TEST_PG_URL or a private cluster; if
 * neither can be had, every test here fails with the reason.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { describeCheckpointStore } from '../conformance';
import { failed, newAttempt, newRun, OTHER, OWNER, PLAN, said, started, succeeded } from '../conformance/fixtures';
import type { CheckpointStore } from '../types';
import { usePostgres } from './pg-test-helpers';
import { S } from './pg-statements';
import { PostgresStore } from './pg-store';

const pg$ = usePostgres();

describeCheckpointStore('PostgresStore', () => {
  const opening = pg$.schema().then(async ({ url }) => ({ url, store: await PostgresStore.open(url) }));
  const { store, after } = sequenced(opening.then((o) => o.store));
  return {
    store,
    connect: async () => PostgresStore.open((await opening).url),
    corrupt: (runId, phaseId) =>
      after(async () => {
        const { url } = await opening;
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          const changed = await client.query(`UPDATE phase_results SET output = convert_to('damaged on disk', 'UTF8') WHERE run_id = $1 AND phase_id = $2`, [runId, phaseId]);
          if (changed.rowCount !== 1) throw new Error(`no saved result of ${runId}/${phaseId} to corrupt`);
        } finally {
          await client.end();
        }
      }),
  };
});

describe('PostgresStore: values PostgreSQL text cannot hold', () => {
  it('keeps NUL exactly in outputs, tails, transcript content, error messages and the flow source, live and replayed', async () => {
    const store = await pg$.open();
    await store.createRun(newRun('run-1', { flowSource: 'name: f # \u0000\n' }), OWNER, 1_000);
    const error = { code: 'COMMAND_FAILED' as const, message: 'exit 1: \u0000 in stderr' };
    await store.commit('run-1', OWNER, [started('research'), said('research', 0, 'a\u0000b'), succeeded('research', 1, 'a\u0000b\n', { stdoutTail: 'x\u0000', stderrTail: '\u0000y' })], 1_001);
    await store.commit('run-1', OWNER, [started('code'), failed('code', 1, error, { stdoutTail: 'o\u0000' }), { type: 'run.finished', attempt: 1, status: 'failed', error }], 1_002);
    expect((await store.getPhaseResults('run-1')).get('research')?.output).toBe('a\u0000b\n');
    expect((await store.getPhases('run-1')).slice(0, 2)).toMatchObject([{ output: 'a\u0000b\n', stdoutTail: 'x\u0000', stderrTail: '\u0000y' }, { error, stdoutTail: 'o\u0000' }]);
    expect((await store.readTranscript('run-1', 'research', 0, 10))[0]?.content).toBe('a\u0000b');
    expect((await store.getAttempts('run-1'))[0]?.flowSource).toBe('name: f # \u0000\n');
    const resumed = await store.beginAttempt('run-1', newAttempt(PLAN, ['research']), OTHER, 2_000, () => false);
    expect(resumed.events[0]).toMatchObject({ type: 'run.started', outputs: { research: 'a\u0000b\n' } });
    const replayed = await store.eventsSince('run-1', 0, 100);
    expect(replayed.filter((e) => e.type === 'phase.finished')).toMatchObject([
      { phaseId: 'research', output: 'a\u0000b\n', stdoutTail: 'x\u0000', stderrTail: '\u0000y' },
      { phaseId: 'code', error, stdoutTail: 'o\u0000' },
    ]);
    expect(replayed.at(-1)).toMatchObject({ type: 'run.started', attempt: 2, outputs: { research: 'a\u0000b\n' } });
  });
});

describe('PostgresStore: bigint columns', () => {
  it('reads ms epochs back as numbers, and refuses a stored integer a number cannot hold exactly', async () => {
    const { url } = await pg$.schema();
    const store = await pg$.open(url);
    const now = Date.UTC(2031, 0, 2, 3, 4, 5, 678);
    await store.createRun(newRun('run-1'), OWNER, now);
    expect(await store.getRun('run-1')).toMatchObject({ createdAt: now, updatedAt: now, owner: { heartbeatAt: now } });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`UPDATE runs SET updated_at = 9007199254740993 WHERE id = 'run-1'`);
    } finally {
      await client.end();
    }
    await expect(store.getRun('run-1')).rejects.toMatchObject({ code: 'INTERNAL', message: 'a stored integer (9007199254740993) is outside the range Waymark can read exactly' });
    // The connection that failed to read the row is still good.
    expect((await store.getAttempts('run-1')).map((a) => a.startedAt)).toEqual([now]);
  });
});

/**
 * The suite's harness is synchronous (`create()` returns the store; `corrupt()` is not
 * awaited), while opening a PostgresStore and damaging a row take a round trip. This
 * stand-in starts every call once the store is open and after every `after()` task
 * queued before it, in call order; the calls themselves run on the real store as the
 * suite makes them (concurrently, if the suite does not await them).
 */
function sequenced(opening: Promise<CheckpointStore>): { store: CheckpointStore; after(task: () => Promise<void>): void } {
  let barrier: Promise<CheckpointStore> = opening;
  const store = new Proxy({} as CheckpointStore, {
    get: (_target, method: keyof CheckpointStore) => {
      return (...args: unknown[]) => barrier.then((real) => (real[method] as (...a: unknown[]) => unknown).apply(real, args));
    },
  });
  const after = (task: () => Promise<void>) => {
    barrier = barrier.then(async (real) => {
      await task();
      return real;
    });
    // A failed corruption surfaces as a failure of the next call, which the test sees.
  };
  return { store, after };
}

describe('PostgresStore: runs list pages', () => {
  it('a later page of the app\'s list starts at its cursor: a range on runs_by_created, read in order, without a sort', async () => {
    const { url } = await pg$.schema();
    await pg$.open(url); // migrates the schema
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    pg$.defer(() => client.end());
    await client.query(`INSERT INTO runs (id, flow_name, status, inputs_json, created_at, updated_at, attempt)
      SELECT 'run' || lpad(n::text, 6, '0'), 'f', CASE WHEN n % 10 = 0 THEN 'failed' ELSE 'succeeded' END, '{}', 1000 + n / 3, 1000 + n / 3, 1
      FROM generate_series(0, 4999) AS n`);
    await client.query('ANALYZE runs');
    // The app's pages (no status; with one, the planner may rather filter a scan and sort the few it keeps).
    const plan = (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${S.listRunsBefore.text}`, [201, null, 2_000, 'run003000'])).rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/Index Scan using runs_by_created on runs/);
    expect(plan).toMatch(/Index Cond: \(ROW\(created_at, id\) < ROW\(/);
    expect(plan).not.toMatch(/Sort/);
  });
});
