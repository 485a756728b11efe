import { describe, expect, it } from 'vitest';
import { emptyTotals } from './usage';
import { formatBudget, formatBudgetSpent, formatCost, formatCostShort, formatTokenCount, formatTokenUsage, formatUsd, suggestBudgetUsd } from './usage-format';

describe('usage formats', () => {
  it('counts tokens with units', () => {
    expect([0, 950, 1_000, 12_400, 12_449, 128_000, 3_210_000].map(formatTokenCount)).toEqual(['0', '950', '1k', '12.4k', '12.4k', '128k', '3.2M']);
    expect(formatTokenUsage({ inputTokens: 12_400, outputTokens: 3_100 })).toBe('12.4k in · 3.1k out tokens');
    expect(formatTokenUsage({ inputTokens: 0, outputTokens: 0 })).toBe('–');
  });

  it('shows dollars with digits that mean something, and $0 only for nothing', () => {
    expect([12.345, 1.2, 0.5, 0.02134, 0.00042, 0.0000004, 0].map(formatUsd)).toEqual(['$12.35', '$1.20', '$0.50', '$0.0213', '$0.00042', '<$0.000001', '$0']);
  });

  it('says "no price" for unpriced steps and marks a partial cost as a lower bound', () => {
    const priced = { ...emptyTotals(), costUsd: 0.0213, steps: 3 };
    expect(formatCost(priced)).toBe('$0.0213');
    expect(formatCost({ ...priced, costUsd: 0, unpricedSteps: 3 })).toBe('no price');
    expect(formatCost({ ...priced, unpricedSteps: 2 })).toBe('≥ $0.0213 (2 steps unpriced)');
    expect(formatCost(emptyTotals())).toBe('–');
    expect([priced, { ...priced, costUsd: 0, unpricedSteps: 3 }, { ...priced, unpricedSteps: 2 }, emptyTotals()].map(formatCostShort)).toEqual(['$0.0213', 'no price', '≥ $0.0213', '–']);
  });

  it('describes budgets, what was spent against them, and a readable raise', () => {
    expect(formatBudget({ usd: 5, tokens: 200_000 })).toBe('$5.00 or 200k tokens');
    expect(formatBudgetSpent({ limit: { usd: 0.02 }, spentUsd: 0.026, spentTokens: 2_600 })).toBe('spent $0.026 of $0.02');
    expect(formatBudgetSpent({ limit: { tokens: 100 }, spentUsd: 0, spentTokens: 120 })).toBe('spent 120 of 100 tokens');
    expect(suggestBudgetUsd({ limit: { usd: 5 }, spentUsd: 5.01 })).toBe(10);
    expect(suggestBudgetUsd({ limit: { usd: 0.02 }, spentUsd: 0.026 })).toBe(0.04);
    expect(suggestBudgetUsd({ limit: {}, spentUsd: 0 })).toBe(1);
    expect(suggestBudgetUsd({ limit: { usd: 3.4 }, spentUsd: 3 })).toBe(7);
  });
});
