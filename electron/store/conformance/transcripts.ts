/** Conformance: the append-only transcript, its paging, and token usage summed per phase, attempt and run. */
import { expect, it } from 'vitest';
import { emptyTotals } from '../../../shared/usage';
import { OTHER, commit, dead, failed, MODEL_ERROR, newAttempt, PLAN, said, started, startRun, type GetCtx } from './fixtures';

export function transcriptSection(get: GetCtx): void {
  it('readTranscript returns entries in index order with the try that wrote them', async () => {
    const ctx = get();
    await startRun(ctx);
    await commit(ctx, 'run-1', [started('code'), said('code', 0, 'You write Python.', undefined, 'system'), said('code', 1, { text: 'call', toolCalls: [{ id: 't1', name: 'list_files', args: {} }] }, { inputTokens: 5, outputTokens: 2 })]);
    const firstAt = ctx.last();
    await commit(ctx, 'run-1', [failed('code', 1, MODEL_ERROR, { retryInMs: 10 }), started('code', 2), said('code', 2, ['a.py'], undefined, 'tool')]);
    expect(await ctx.store.readTranscript('run-1', 'code', 0, 100)).toEqual([
      { phaseId: 'code', index: 0, attempt: 1, role: 'system', content: 'You write Python.', usage: null, at: firstAt },
      { phaseId: 'code', index: 1, attempt: 1, role: 'assistant', content: { text: 'call', toolCalls: [{ id: 't1', name: 'list_files', args: {} }] }, usage: { inputTokens: 5, outputTokens: 2, costUsd: null }, at: firstAt },
      { phaseId: 'code', index: 2, attempt: 2, role: 'tool', content: ['a.py'], usage: null, at: ctx.last() },
    ]);
    expect(await ctx.store.readTranscript('run-1', 'research', 0, 100)).toEqual([]);
  });

  it('readTranscript pages with fromIndex and limit', async () => {
    const ctx = get();
    await startRun(ctx);
    await commit(ctx, 'run-1', [started('code'), ...[0, 1, 2, 3, 4, 5].map((i) => said('code', i, `step ${i}`))]);
    const page = async (from: number, limit: number) => (await ctx.store.readTranscript('run-1', 'code', from, limit)).map((e) => e.index);
    expect(await page(0, 2)).toEqual([0, 1]);
    expect(await page(2, 2)).toEqual([2, 3]);
    expect(await page(4, 10)).toEqual([4, 5]);
    expect(await page(6, 10)).toEqual([]);
    expect(await page(0, Number.MAX_SAFE_INTEGER)).toHaveLength(6);
  });

  it('entries appended out of order read back in index order', async () => {
    const ctx = get();
    await startRun(ctx);
    await commit(ctx, 'run-1', [started('code'), said('code', 3, 'd'), said('code', 1, 'b')]);
    await commit(ctx, 'run-1', [said('code', 0, 'a'), said('code', 2, 'c')]);
    expect((await ctx.store.readTranscript('run-1', 'code', 1, 10)).map((e) => e.content)).toEqual(['b', 'c', 'd']);
  });

  it('content is stored as JSON: missing content reads back as null', async () => {
    const ctx = get();
    await startRun(ctx);
    await commit(ctx, 'run-1', [started('code'), { type: 'transcript.appended', phaseId: 'code', index: 0, role: 'notice' }, said('code', 1, { keep: 1, drop: undefined })]);
    expect((await ctx.store.readTranscript('run-1', 'code', 0, 10)).map((e) => e.content)).toEqual([null, { keep: 1 }]);
    expect((await ctx.store.readTranscript('run-1', 'code', 1, 1))[0]?.content).not.toHaveProperty('drop');
  });

  it('usage is summed per phase, per attempt and per run', async () => {
    const ctx = get();
    await startRun(ctx);
    await commit(ctx, 'run-1', [started('research'), said('research', 0, 'r', { inputTokens: 100, outputTokens: 10 }), said('research', 1, 'r', { inputTokens: 50, outputTokens: 5 })]);
    await commit(ctx, 'run-1', [started('code'), said('code', 0, 'c', { inputTokens: 7, outputTokens: 3 }), said('code', 1, 'no usage')]);
    await commit(ctx, 'run-1', [{ type: 'run.finished', attempt: 1, status: 'interrupted' }]);
    await ctx.store.beginAttempt('run-1', newAttempt(PLAN, []), OTHER, ctx.now(), dead);
    await commit(ctx, 'run-1', [started('code', 2, 2), said('code', 2, 'c', { inputTokens: 1, outputTokens: 1 })], OTHER);
    const usage = Object.fromEntries((await ctx.store.getPhases('run-1')).map((p) => [p.phaseId, p.usage]));
    // Steps without a price (costUsd absent) add tokens and count as unpriced steps.
    const unpriced = (inputTokens: number, outputTokens: number, steps: number) => ({ ...emptyTotals(), inputTokens, outputTokens, steps, unpricedSteps: steps });
    expect(usage).toEqual({ research: unpriced(150, 15, 2), code: unpriced(8, 4, 2), test: emptyTotals() });
    expect((await ctx.store.getAttempts('run-1')).map((a) => a.usage)).toEqual([unpriced(157, 18, 3), unpriced(1, 1, 1)]);
    expect((await ctx.store.getRun('run-1'))?.usage).toEqual(unpriced(158, 19, 4));
    expect((await ctx.store.listRuns(1))[0]?.usage).toEqual(unpriced(158, 19, 4));
  });
}
