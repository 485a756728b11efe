/**
 * Conformance: recorded process groups (SPEC §4) — what a dead owner may have left
 * running, so the next process can stop it before a resume runs the phase again.
 */
import { expect, it } from 'vitest';
import type { PhaseProcess } from '../types';
import { OTHER, OWNER, aliveExcept, commit, newRun, snapshot, started, startRun, thrown, type Ctx, type GetCtx } from './fixtures';

function group(ctx: Ctx, pgid: number, overrides: Partial<PhaseProcess> = {}): PhaseProcess {
  return { runId: 'run-1', phaseId: 'test', attempt: 1, host: 'host-a', pgid, startTime: `boot-1:${pgid * 10}`, startedAt: ctx.now(), ...overrides };
}

export function processSection(get: GetCtx): void {
  it('records process groups, lists a run\'s oldest first and forgets exactly the one named', async () => {
    const ctx = get();
    await startRun(ctx);
    await startRun(ctx, 'run-2');
    const first = group(ctx, 900);
    const second = group(ctx, 120, { phaseId: 'code', attempt: 2, startTime: null });
    const elsewhere = group(ctx, 900, { host: 'host-b' });
    const otherRun = group(ctx, 77, { runId: 'run-2' });
    for (const p of [second, otherRun, elsewhere, first]) await ctx.store.recordProcess(p);
    expect(await ctx.store.processesOf('run-1')).toEqual([first, second, elsewhere]);
    await ctx.store.forgetProcess('run-1', 'host-a', 900);
    await ctx.store.forgetProcess('run-1', 'host-a', 900);
    await ctx.store.forgetProcess('run-1', 'host-c', 120);
    expect(await ctx.store.processesOf('run-1')).toEqual([second, elsewhere]);
    expect(await ctx.store.processesOf('run-2')).toEqual([otherRun]);
    expect(await ctx.store.processesOf('nope')).toEqual([]);
  });

  it('recording the same group of a run again replaces the row (a reused pid)', async () => {
    const ctx = get();
    await startRun(ctx);
    await ctx.store.recordProcess(group(ctx, 500));
    const again = group(ctx, 500, { phaseId: 'code', attempt: 3, startTime: 'boot-1:9999' });
    await ctx.store.recordProcess(again);
    expect(await ctx.store.processesOf('run-1')).toEqual([again]);
  });

  it('refuses a process of an unknown run with RUN_NOT_FOUND and records nothing', async () => {
    const ctx = get();
    const err = await thrown(async () => await ctx.store.recordProcess(group(ctx, 1, { runId: 'ghost' })));
    expect(err.code).toBe('RUN_NOT_FOUND');
    expect(await ctx.store.processesOf('ghost')).toEqual([]);
    expect(await ctx.store.strayProcesses('host-a')).toEqual([]);
  });

  it('recording and forgetting processes leaves the run, its phases and its events untouched', async () => {
    const ctx = get();
    await startRun(ctx);
    await commit(ctx, 'run-1', [started('research')]);
    const before = await snapshot(ctx.store, 'run-1');
    await ctx.store.recordProcess(group(ctx, 42));
    expect(await snapshot(ctx.store, 'run-1')).toEqual(before);
    await ctx.store.forgetProcess('run-1', 'host-a', 42);
    expect(await snapshot(ctx.store, 'run-1')).toEqual(before);
  });

  it('strayProcesses lists a host\'s groups of runs that are no longer running, reaped ones included', async () => {
    const ctx = get();
    await startRun(ctx);
    await startRun(ctx, 'run-2');
    await ctx.store.createRun(newRun('run-3'), OTHER, ctx.now());
    const reaped = group(ctx, 11);
    const reapedElsewhere = group(ctx, 12, { host: 'host-b' });
    const finished = group(ctx, 21, { runId: 'run-2' });
    const live = group(ctx, 31, { runId: 'run-3' });
    for (const p of [live, reaped, reapedElsewhere, finished]) await ctx.store.recordProcess(p);
    expect(await ctx.store.strayProcesses('host-a')).toEqual([]);
    await commit(ctx, 'run-2', [{ type: 'run.finished', attempt: 1, status: 'failed' }]);
    expect(await ctx.store.strayProcesses('host-a')).toEqual([finished]);
    // OWNER (of run-1) dies; OTHER (of run-3) lives on.
    await ctx.store.reapOrphans(aliveExcept(OWNER.pid), ctx.now(), Number.POSITIVE_INFINITY);
    expect((await ctx.store.getRun('run-1'))?.status).toBe('interrupted');
    expect(await ctx.store.strayProcesses('host-a')).toEqual([reaped, finished]);
    expect(await ctx.store.strayProcesses('host-b')).toEqual([reapedElsewhere]);
    expect(await ctx.store.processesOf('run-1')).toEqual([reaped, reapedElsewhere]);
  });
}
