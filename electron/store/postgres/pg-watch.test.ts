/**
 * watch(): LISTEN/NOTIFY between stores, as between processes. Each store has its own
 * pool and the watcher its own connection; nothing here polls the tables.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { newAttempt, newRun, OTHER, OWNER, PLAN, started } from '../conformance/fixtures';
import { usePostgres } from './pg-test-helpers';
import type { PostgresStore } from './pg-store';

const pg$ = usePostgres();
const DEADLINE_MS = 10_000;

/** Polls `condition` until it holds; fails with `what` after the deadline. */
async function waitFor(what: string, condition: () => boolean | Promise<boolean>): Promise<void> {
  const until = Date.now() + DEADLINE_MS;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out after ${DEADLINE_MS} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A watcher on `store` that records every run id it is told about. */
async function watching(store: PostgresStore): Promise<{ seen: string[]; stop: () => Promise<void> }> {
  const seen: string[] = [];
  const stop = await store.watch((runId) => seen.push(runId));
  pg$.defer(stop);
  return { seen, stop };
}

/** Backends LISTENing on `channel`, found by their last statement. */
async function listeners(channel: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: pg$.serverUrl() });
  await client.connect();
  try {
    const rows = await client.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE query = $1`, [`LISTEN ${pg.escapeIdentifier(channel)}`]);
    return rows.rows.map((r) => r.pid);
  } finally {
    await client.end();
  }
}

async function twoProcesses(): Promise<[PostgresStore, PostgresStore]> {
  const { url } = await pg$.schema();
  return [await pg$.open(url), await pg$.open(url)];
}

describe('PostgresStore.watch', () => {
  it('hears a commit made by another store (another process) within the deadline', async () => {
    const [monitor, worker] = await twoProcesses();
    const { seen } = await watching(monitor);
    await worker.createRun(newRun('run-1'), OWNER, 1_000);
    await waitFor('run-1 to be created', () => seen.includes('run-1'));
    seen.length = 0;
    await worker.commit('run-1', OWNER, [started('research')], 1_001);
    await waitFor('the commit of run-1', () => seen.includes('run-1'));
    expect(seen).toEqual(['run-1']);
    expect((await monitor.eventsSince('run-1', 1, 10)).map((e) => e.type)).toEqual(['phase.started']);
  });

  it('hears resumes and reaps too, and nothing of a refused commit', async () => {
    const [monitor, worker] = await twoProcesses();
    const { seen } = await watching(monitor);
    await worker.createRun(newRun('run-x'), OWNER, 1_000);
    await worker.createRun(newRun('run-y'), OWNER, 1_000);
    await waitFor('both runs', () => seen.includes('run-x') && seen.includes('run-y'));
    seen.length = 0;
    await expect(worker.commit('run-x', OWNER, [started('deploy')], 1_001)).rejects.toMatchObject({ code: 'INTERNAL' });
    // Notifications arrive in commit order: once the later one is here, an earlier one would be too.
    await worker.reapOrphans((pid) => pid !== OWNER.pid, 2_000, 30_000);
    await waitFor('the reaps', () => seen.includes('run-y'));
    expect(seen.sort()).toEqual(['run-x', 'run-y']);
    seen.length = 0;
    await worker.beginAttempt('run-x', newAttempt(PLAN, []), OTHER, 3_000, () => true);
    await waitFor('the resume of run-x', () => seen.includes('run-x'));
    expect(seen).toEqual(['run-x']);
  });

  it('hears only its own schema: another Waymark schema on the same database stays silent', async () => {
    const [monitor, worker] = await twoProcesses();
    const elsewhere = await pg$.open();
    expect(elsewhere.channel).not.toBe(monitor.channel);
    const { seen } = await watching(monitor);
    await elsewhere.createRun(newRun('other-schema-run'), OWNER, 1_000);
    await worker.createRun(newRun('sentinel'), OWNER, 1_000);
    await waitFor('the sentinel', () => seen.includes('sentinel'));
    expect(seen).toEqual(['sentinel']);
  });

  it('reconnects after its connection is killed and reports commits made while it was away', async () => {
    const [monitor, worker] = await twoProcesses();
    const { seen } = await watching(monitor);
    const [before] = await listeners(monitor.channel);
    expect(before).toBeDefined();
    const admin = new pg.Client({ connectionString: pg$.serverUrl() });
    await admin.connect();
    pg$.defer(() => admin.end());
    await admin.query('SELECT pg_terminate_backend($1)', [before]);
    await worker.createRun(newRun('while-away'), OWNER, Date.now());
    await waitFor('the run created while the watcher was away', () => seen.includes('while-away'));
    await waitFor('a new LISTEN connection', async () => (await listeners(monitor.channel)).some((pid) => pid !== before));
    seen.length = 0;
    await worker.createRun(newRun('after'), OWNER, Date.now());
    await waitFor('a run created after reconnecting', () => seen.includes('after'));
  });

  it('the disposer UNLISTENs and closes the connection; close() stops the watchers left', async () => {
    const [monitor, worker] = await twoProcesses();
    const first = await watching(monitor);
    const second = await watching(monitor);
    await waitFor('two listeners', async () => (await listeners(monitor.channel)).length === 2);
    await first.stop();
    await first.stop(); // a second call is harmless
    expect(await listeners(monitor.channel)).toHaveLength(1);
    await worker.createRun(newRun('run-1'), OWNER, 1_000);
    await waitFor('the remaining watcher to hear run-1', () => second.seen.includes('run-1'));
    expect(first.seen).toEqual([]);
    await monitor.close();
    await waitFor('no listener after close()', async () => (await listeners(monitor.channel)).length === 0);
  });
});
