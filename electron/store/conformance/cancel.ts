/**
 * Conformance: cancelling a run no process executes (`cancelIdle`) — a waiting run (its
 * waiting phases end interrupted, so a resume asks again) and a queued one (no worker
 * takes it then); a running run is its owner's to cancel.
 */
import { expect, it } from 'vitest';
import { applyRunEvents, type RunSnapshot } from '../../../shared/run-reducer';
import { eventDerived } from '../../../shared/testing/replay-trace';
import { waitingRun } from './approvals';
import type { CheckpointStore } from '../types';
import { OWNER, alive, newAttempt, newRun, PLAN, startRun, thrown, type GetCtx } from './fixtures';

async function runSnapshot(store: CheckpointStore, runId: string): Promise<RunSnapshot> {
  const run = await store.getRun(runId);
  if (!run) throw new Error(`no run ${runId}`);
  return { run, phases: await store.getPhases(runId) };
}

export function cancelSection(get: GetCtx): void {
  it('cancels a waiting run: its waiting phases end interrupted, the rest is kept, and it can be resumed', async () => {
    const ctx = get();
    await waitingRun(ctx);
    const before = await runSnapshot(ctx.store, 'run-1');
    const now = ctx.now();
    const events = await ctx.store.cancelIdle('run-1', now);
    expect(events).toEqual([{ type: 'run.finished', runId: 'run-1', seq: 11, at: now, attempt: 1, status: 'cancelled', error: { code: 'CANCELLED', message: 'cancelled by the user while it waited' } }]);
    expect(await ctx.store.getRun('run-1')).toMatchObject({ status: 'cancelled', owner: null, waitingFor: null, lastSeq: 11 });
    const phases = Object.fromEntries((await ctx.store.getPhases('run-1')).map((p) => [p.phaseId, p.status]));
    expect(phases).toEqual({ plan: 'succeeded', review: 'interrupted', legal: 'interrupted', ship: 'pending', docs: 'succeeded' });
    // The events tell a client what the tables say.
    expect(eventDerived(applyRunEvents(before, events))).toEqual(eventDerived(await runSnapshot(ctx.store, 'run-1')));
    // Once ended there is nothing to cancel; a resume starts a new attempt as for any cancelled run.
    expect(await ctx.store.cancelIdle('run-1', ctx.now())).toEqual([]);
    const { run } = await ctx.store.beginAttempt('run-1', newAttempt(PLAN, []), OWNER, ctx.now(), alive);
    expect(run).toMatchObject({ status: 'running', attempt: 2 });
  });

  it('cancels a queued run before a worker takes it', async () => {
    const ctx = get();
    await ctx.store.enqueueRun(newRun('run-q', { flowSource: 'name: q\n' }), ctx.now());
    const now = ctx.now();
    const events = await ctx.store.cancelIdle('run-q', now);
    expect(events).toEqual([{ type: 'run.finished', runId: 'run-q', seq: 2, at: now, attempt: 0, status: 'cancelled', error: { code: 'CANCELLED', message: 'cancelled by the user before a worker took it' } }]);
    expect(await ctx.store.getRun('run-q')).toMatchObject({ status: 'cancelled', owner: null, attempt: 0 });
    expect(await ctx.store.claimQueued(OWNER, ctx.now())).toBeUndefined();
  });

  it('refuses a running run (its owner cancels it) and an unknown one', async () => {
    const ctx = get();
    await startRun(ctx);
    expect((await thrown(() => ctx.store.cancelIdle('run-1', ctx.now()))).code).toBe('RUN_OWNED');
    expect((await ctx.store.getRun('run-1'))?.status).toBe('running');
    expect((await thrown(() => ctx.store.cancelIdle('nope', ctx.now()))).code).toBe('RUN_NOT_FOUND');
  });
}
