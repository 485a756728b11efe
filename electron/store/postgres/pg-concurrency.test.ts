/**
 * What only a shared server can show: several stores (as several processes would hold)
 * on one PostgreSQL schema, racing for the same runs. Every race is real: the calls are
 * started together and the server's row locks decide.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { PersistedEvent } from '../../../shared/events';
import { newAttempt, newRun, OWNER, PLAN, said, started, succeeded } from '../conformance/fixtures';
import type { Owner } from '../types';
import { usePostgres } from './pg-test-helpers';
import type { PostgresStore } from './pg-store';

const pg$ = usePostgres();
const alive = () => true;
const ownerOf = (i: number): Owner => ({ id: `owner-${i}`, pid: 50_000 + i, host: `host-${i}` });

/** `n` stores on one fresh schema. */
async function stores(n: number): Promise<PostgresStore[]> {
  const { url } = await pg$.schema();
  const first = await pg$.open(url);
  const rest = await Promise.all(Array.from({ length: n - 1 }, () => pg$.open(url)));
  return [first, ...rest];
}

const outcome = (p: Promise<unknown>) => p.then(() => 'won', (err: { code?: string; message: string }) => `${err.code}: ${err.message}`);

describe('PostgresStore under concurrent processes', () => {
  it('two stores racing to resume the same run: exactly one wins, the other gets RUN_OWNED naming the winner', async () => {
    const [a, b, c] = await stores(3) as [PostgresStore, PostgresStore, PostgresStore];
    for (let i = 0; i < 10; i++) {
      const runId = `run-${i}`;
      await a.createRun(newRun(runId), OWNER, 1_000);
      await a.commit(runId, OWNER, [{ type: 'run.finished', attempt: 1, status: 'failed' }], 1_001);
      const [x, y] = [ownerOf(1), ownerOf(2)];
      const results = await Promise.all([outcome(b.beginAttempt(runId, newAttempt(PLAN, []), x, 2_000, alive)), outcome(c.beginAttempt(runId, newAttempt(PLAN, []), y, 2_000, alive))]);
      expect(results.filter((r) => r === 'won')).toHaveLength(1);
      const winner = results[0] === 'won' ? x : y;
      expect(results.find((r) => r !== 'won')).toBe(`RUN_OWNED: run ${runId} is running, owned by pid ${winner.pid}: wait for it to finish, or stop that process first`);
      const run = await a.getRun(runId);
      expect(run).toMatchObject({ status: 'running', attempt: 2, owner: { id: winner.id, pid: winner.pid, host: winner.host } });
      expect((await a.getAttempts(runId)).map((t) => t.attempt)).toEqual([1, 2]);
    }
  });

  it('concurrent reapers reap a dead owner\'s runs exactly once', async () => {
    const reapers = await stores(5);
    const [first] = reapers as [PostgresStore];
    const runIds = Array.from({ length: 12 }, (_, i) => `run-${String(i).padStart(2, '0')}`);
    for (const runId of runIds) {
      await first.createRun(newRun(runId), OWNER, 1_000);
      await first.commit(runId, OWNER, [started('research'), succeeded('research', 1, 'kept'), started('code')], 1_010);
    }
    const deadOwner = (pid: number) => pid !== OWNER.pid;
    const batches = await Promise.all(reapers.map((r) => r.reapOrphans(deadOwner, 5_000, 30_000)));
    const all: PersistedEvent[] = batches.flat();
    // One phase.finished (code) and one run.finished per run, over all reapers together.
    expect(all).toHaveLength(runIds.length * 2);
    for (const runId of runIds) {
      const log = await first.eventsSince(runId, 0, 100);
      expect(log.map((e) => [e.seq, e.type])).toEqual([[1, 'run.started'], [2, 'phase.started'], [3, 'phase.finished'], [4, 'phase.started'], [5, 'phase.finished'], [6, 'run.finished']]);
      expect(all.filter((e) => e.runId === runId).map((e) => e.seq)).toEqual([5, 6]);
      expect(await first.getRun(runId)).toMatchObject({ status: 'interrupted', owner: null, lastSeq: 6 });
    }
    // Each reaper's own events are whole runs, in the order of the runs' creation.
    for (const batch of batches) {
      const ids = batch.filter((e) => e.type === 'run.finished').map((e) => e.runId);
      expect(ids).toEqual([...ids].sort());
    }
  });

  it('a reaper does not reap a run whose owner heartbeated after it judged the lease stale', async () => {
    const [owner, reaper] = await stores(2) as [PostgresStore, PostgresStore];
    await owner.createRun(newRun('run-1'), OWNER, 1_000);
    // The probe runs while the reaper judges; the owner's heartbeat lands right then.
    let beat: Promise<boolean> | undefined;
    const probe = () => {
      beat = owner.heartbeat('run-1', OWNER, 40_000);
      return true;
    };
    const events = await reaper.reapOrphans(probe, 40_000, 30_000).then(async (e) => (await beat, e));
    // Either the heartbeat won (nothing reaped, lease kept) or the reap did (heartbeat refused):
    // never both, never a reaped run whose owner still believes it holds the lease.
    const run = await reaper.getRun('run-1');
    if (events.length === 0) {
      expect(await beat).toBe(true);
      expect(run).toMatchObject({ status: 'running', owner: { heartbeatAt: 40_000 } });
    } else {
      expect(await beat).toBe(false);
      expect(run?.status).toBe('interrupted');
    }
  });

  it('a reaper skips a run another process holds locked instead of waiting for it, and reaps it once it is free', async () => {
    const { url } = await pg$.schema();
    const store = await pg$.open(url);
    await store.createRun(newRun('run-1'), OWNER, 1_000);
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    pg$.defer(() => holder.end());
    await holder.query('BEGIN');
    await holder.query(`SELECT id FROM runs WHERE id = 'run-1' FOR UPDATE`);
    const started = Date.now();
    expect(await store.reapOrphans(() => false, 5_000, 30_000)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5_000);
    await holder.query('ROLLBACK');
    expect((await store.reapOrphans(() => false, 5_000, 30_000)).map((e) => e.type)).toEqual(['run.finished']);
  });

  it('commits made without waiting resolve in call order with consecutive seqs', async () => {
    const [store] = await stores(1) as [PostgresStore];
    await store.createRun(newRun('run-1'), OWNER, 1_000);
    await store.commit('run-1', OWNER, [started('research')], 1_001);
    const pending = Array.from({ length: 40 }, (_, i) => store.commit('run-1', OWNER, [said('research', i, `step ${i}`)], 2_000 + i));
    const resolved: number[] = [];
    pending.forEach((p, i) => void p.then(() => resolved.push(i)));
    const batches = await Promise.all(pending);
    expect(batches.map((b) => b[0]?.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 3));
    expect(resolved).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect((await store.readTranscript('run-1', 'research', 0, 100)).map((e) => e.content)).toEqual(Array.from({ length: 40 }, (_, i) => `step ${i}`));
  });

  it('commits of one run from two processes interleave without a gap or a duplicate seq', async () => {
    const [a, b] = await stores(2) as [PostgresStore, PostgresStore];
    await a.createRun(newRun('run-1'), OWNER, 1_000);
    await a.commit('run-1', OWNER, [started('research')], 1_001);
    // Same owner identity in two stores: the lease is the owner id, the seqs are the server's.
    await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).commit('run-1', OWNER, [said('research', i, i)], 2_000 + i)));
    expect((await a.eventsSince('run-1', 0, 100)).map((e) => e.seq)).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
    expect((await b.getRun('run-1'))?.lastSeq).toBe(32);
  });
});
