/**
 * Conformance: what model steps cost, summed per phase, attempt and run (SPEC §3), with
 * their token details; steps without a price counted apart; each attempt's budget kept.
 * Every store sums the same floating-point numbers in the same order, so the sums are
 * compared exactly (0.1 + 0.2 is 0.30000000000000004 everywhere).
 */
import { expect, it } from 'vitest';
import type { Usage } from '../../../shared/events';
import { emptyTotals } from '../../../shared/usage';
import { OTHER, PLAN, commit, dead, newAttempt, newRun, said, started, startRun, type GetCtx } from './fixtures';

const step = (inputTokens: number, outputTokens: number, costUsd: number | null, details: Partial<Usage> = {}): Usage => ({ inputTokens, outputTokens, ...details, costUsd });

export function costSection(get: GetCtx): void {
  it('sums cost and token details per phase, attempt and run, counting unpriced steps apart', async () => {
    const ctx = get();
    await startRun(ctx);
    const first = step(1_000, 200, 0.1, { cachedInputTokens: 400, cacheWriteTokens: 100, reasoningTokens: 50 });
    await commit(ctx, 'run-1', [started('research'), said('research', 0, 'r', first), said('research', 1, 'r', step(10, 5, 0.2))]);
    await commit(ctx, 'run-1', [started('code'), said('code', 0, 'c', step(7, 3, null)), said('code', 1, 'tool result, no usage', undefined, 'tool')]);
    await commit(ctx, 'run-1', [{ type: 'run.finished', attempt: 1, status: 'interrupted' }]);
    await ctx.store.beginAttempt('run-1', newAttempt(PLAN, []), OTHER, ctx.now(), dead);
    await commit(ctx, 'run-1', [started('code', 2, 2), said('code', 2, 'c', step(1, 1, 0.05, { reasoningTokens: 1 }))], OTHER);

    const phases = Object.fromEntries((await ctx.store.getPhases('run-1')).map((p) => [p.phaseId, p.usage]));
    expect(phases).toEqual({
      research: { inputTokens: 1_010, outputTokens: 205, cachedInputTokens: 400, reasoningTokens: 50, costUsd: 0.1 + 0.2, steps: 2, unpricedSteps: 0 },
      code: { inputTokens: 8, outputTokens: 4, cachedInputTokens: 0, reasoningTokens: 1, costUsd: 0.05, steps: 2, unpricedSteps: 1 },
      test: emptyTotals(),
    });
    expect((await ctx.store.getAttempts('run-1')).map((a) => a.usage)).toEqual([
      { inputTokens: 1_017, outputTokens: 208, cachedInputTokens: 400, reasoningTokens: 50, costUsd: 0.1 + 0.2, steps: 3, unpricedSteps: 1 },
      { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0, reasoningTokens: 1, costUsd: 0.05, steps: 1, unpricedSteps: 0 },
    ]);
    const run = { inputTokens: 1_018, outputTokens: 209, cachedInputTokens: 400, reasoningTokens: 51, costUsd: 0.1 + 0.2 + 0.05, steps: 4, unpricedSteps: 1 };
    expect((await ctx.store.getRun('run-1'))?.usage).toEqual(run);
    expect((await ctx.store.listRuns(1))[0]?.usage).toEqual(run);
  });

  it('keeps each step its token details and cost as recorded, null cost without a price', async () => {
    const ctx = get();
    await startRun(ctx);
    const detailed = step(1_000, 200, 0.0123, { cachedInputTokens: 400, cacheWriteTokens: 100, reasoningTokens: 50 });
    await commit(ctx, 'run-1', [started('research'), said('research', 0, 'r', detailed), said('research', 1, 'r', step(3, 2, null)), said('research', 2, 'r', { inputTokens: 4, outputTokens: 1 })]);
    const usage = (await ctx.store.readTranscript('run-1', 'research', 0, 10)).map((e) => e.usage);
    expect(usage).toEqual([detailed, step(3, 2, null), step(4, 1, null)]);
    const replayed = (await ctx.store.eventsSince('run-1', 0, 100)).flatMap((e) => (e.type === 'transcript.appended' ? [e.usage] : []));
    expect(replayed[0]).toEqual(detailed);
  });

  it('keeps the budget each attempt ran under, and its run.started carries it', async () => {
    const ctx = get();
    const { events } = await ctx.store.createRun(newRun('run-1', { start: { ...newRun('run-1').start, budget: { usd: 5 } } }), OTHER, ctx.now());
    expect(events[0]).toMatchObject({ type: 'run.started', budget: { usd: 5 } });
    await commit(ctx, 'run-1', [{ type: 'run.finished', attempt: 1, status: 'waiting', waitingFor: { approvals: [], budget: { limit: { usd: 5 }, spentUsd: 5.01, spentTokens: 900 } } }], OTHER);
    const raised = newAttempt(PLAN, []);
    const second = await ctx.store.beginAttempt('run-1', { ...raised, start: { ...raised.start, budget: { usd: 12, tokens: 50_000 } } }, OTHER, ctx.now(), dead);
    expect(second.events.find((e) => e.type === 'run.started')).toMatchObject({ budget: { usd: 12, tokens: 50_000 } });
    expect((await ctx.store.getAttempts('run-1')).map((a) => a.budget)).toEqual([{ usd: 5 }, { usd: 12, tokens: 50_000 }]);
    await commit(ctx, 'run-1', [{ type: 'run.finished', attempt: 2, status: 'failed' }], OTHER);
    await ctx.store.beginAttempt('run-1', newAttempt(PLAN, []), OTHER, ctx.now(), dead);
    expect((await ctx.store.getAttempts('run-1')).map((a) => a.budget)).toEqual([{ usd: 5 }, { usd: 12, tokens: 50_000 }, null]);
  });
}
