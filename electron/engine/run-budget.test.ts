import { describe, expect, it } from 'vitest';
import type { AttemptRecord } from '../../shared/records';
import { emptyTotals } from '../../shared/usage';
import { checkBudgetUsd, resumeBudget, spentBy } from './run-budget';

const attempt = (flowSource: string, budget: AttemptRecord['budget']): AttemptRecord => ({
  runId: 'r', attempt: 1, flowSource, startedAt: 0, finishedAt: 1, status: 'waiting', error: null, pid: 1, restartPhase: null, usage: emptyTotals(), budget,
});
const flowWith = (budget: string) => `${budget}\nphases:\n  - { id: a, kind: command, run: "true" }\n`;

describe('the budget of a resumed attempt', () => {
  const last = attempt(flowWith('budget: { usd: 5 }'), { usd: 12 });

  it('is --budget-usd when given, keeping a token limit in force', () => {
    expect(resumeBudget({ usd: 5 }, last, 20)).toEqual({ usd: 20 });
    expect(resumeBudget({ usd: 5, tokens: 9 }, attempt(flowWith('budget: { usd: 5, tokens: 9 }'), { usd: 5, tokens: 9 }), 20)).toEqual({ usd: 20, tokens: 9 });
    expect(resumeBudget(undefined, undefined, 3)).toEqual({ usd: 3 });
  });

  it("keeps the last attempt's raise while the flow's budget is unchanged", () => {
    expect(resumeBudget({ usd: 5 }, last)).toEqual({ usd: 12 });
  });

  it("takes the flow's budget once the file's budget changed (the user edited it)", () => {
    expect(resumeBudget({ usd: 8 }, last)).toEqual({ usd: 8 });
    expect(resumeBudget(undefined, last)).toBeUndefined();
    expect(resumeBudget({ tokens: 100 }, attempt(flowWith(''), null))).toEqual({ tokens: 100 });
  });

  it('refuses a --budget-usd that is not a positive number of dollars', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => checkBudgetUsd(bad)).toThrow(/--budget-usd must be a number of US dollars above 0/);
    expect(() => checkBudgetUsd(0.5)).not.toThrow();
  });

  it('counts what every attempt of the run spent', () => {
    expect(spentBy({ usage: { ...emptyTotals(), inputTokens: 100, outputTokens: 20, costUsd: 0.3 } })).toEqual({ usd: 0.3, tokens: 120 });
  });
});
