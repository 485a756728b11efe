import { describe, expect, it } from 'vitest';
import { diamond, persisted, runRecord } from '../test/fixtures';
import { applyEvents, viewFromDetail } from './run-view';

const decision = { phaseId: 'b', attempt: 1, decision: 'rejected' as const, by: 'bob', comment: 'not yet', at: 900 };

describe('the run view keeps decisions, the budget and what a resume saved', () => {
  it('takes them from the snapshot: the current attempt’s budget, the decisions, the reuse summary', () => {
    const reuse = { resumes: 1, reusedPhases: 1, saved: { inputTokens: 10, outputTokens: 2, cachedInputTokens: 0, reasoningTokens: 0, costUsd: 0.01, steps: 1, unpricedSteps: 0 }, rerunPhases: [], spentAgain: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, reasoningTokens: 0, costUsd: 0, steps: 0, unpricedSteps: 0 } };
    const attempt = (n: number, usd: number) => ({ runId: 'run001', attempt: n, flowSource: '', startedAt: n, finishedAt: null, status: 'waiting' as const, error: null, pid: 1, restartPhase: null, usage: reuse.saved, budget: { usd } });
    const view = viewFromDetail(diamond({ run: runRecord({ attempt: 2, lastSeq: 1 }), attempts: [attempt(1, 0.02), attempt(2, 0.04)], decisions: [decision], reuse }));
    expect(view).toMatchObject({ budget: { usd: 0.04 }, decisions: [decision], reuse });
    expect(viewFromDetail(diamond())).toMatchObject({ budget: null, decisions: [], reuse: null });
  });

  it('adds decisions as they are made and takes the budget a new attempt starts under', () => {
    const view = viewFromDetail(diamond({ decisions: [decision] }));
    const after = applyEvents(view, [
      persisted(2, { type: 'approval.decided', phaseId: 'b', attempt: 2, decision: 'approved', by: 'ada', comment: 'fine now' }),
      persisted(3, { type: 'run.started', attempt: 2, flowName: 'demo', phases: [], reused: [], frontier: [], resumed: true, budget: { usd: 5 } }),
    ]);
    expect(after.decisions).toEqual([decision, { phaseId: 'b', attempt: 2, decision: 'approved', by: 'ada', comment: 'fine now', at: 1002 }]);
    expect(after.budget).toEqual({ usd: 5 });
    // Already applied: nothing changes.
    expect(applyEvents(after, [persisted(2, { type: 'approval.decided', phaseId: 'b', attempt: 2, decision: 'approved', by: 'ada', comment: 'x' })])).toBe(after);
    // An attempt without a budget has none.
    expect(applyEvents(after, [persisted(4, { type: 'run.started', attempt: 3, flowName: 'demo', phases: [], reused: [], frontier: [], resumed: true })]).budget).toBeNull();
  });
});
