import { describe, expect, it } from 'vitest';
import { parseBudgetRaise, suggestedRaise } from './budget-raise';

const state = { limit: { usd: 0.02 }, spentUsd: 0.026 };

describe('raising a spent budget', () => {
  it('suggests a readable higher amount', () => {
    expect(suggestedRaise(state)).toBe('0.04');
    expect(suggestedRaise({ limit: { usd: 5 }, spentUsd: 4.99 })).toBe('10');
  });

  it('accepts dollars as people type them', () => {
    expect(parseBudgetRaise('0.04', state)).toEqual({ ok: true, usd: 0.04 });
    expect(parseBudgetRaise(' $1.50 ', state)).toEqual({ ok: true, usd: 1.5 });
    expect(parseBudgetRaise('.5', state)).toEqual({ ok: true, usd: 0.5 });
    expect(parseBudgetRaise('3.', state)).toEqual({ ok: true, usd: 3 });
  });

  it('refuses what is not an amount, nothing, zero and absurd sums, saying why', () => {
    expect(parseBudgetRaise('', state)).toMatchObject({ ok: false, problem: expect.stringContaining('Enter the new budget') });
    expect(parseBudgetRaise('ten', state)).toMatchObject({ ok: false, problem: expect.stringContaining('“ten” is not an amount of dollars') });
    expect(parseBudgetRaise('-4', state)).toMatchObject({ ok: false, problem: expect.stringContaining('not an amount') });
    expect(parseBudgetRaise('1e3', state)).toMatchObject({ ok: false });
    expect(parseBudgetRaise('0', state)).toMatchObject({ ok: false, problem: 'The budget must be more than $0.' });
    expect(parseBudgetRaise('2000000', state)).toMatchObject({ ok: false, problem: expect.stringContaining('check the amount') });
  });

  it('refuses a limit the run has already spent or that is not a raise', () => {
    expect(parseBudgetRaise('0.025', state)).toMatchObject({ ok: false, problem: 'Enter more than the $0.026 already spent, or the run stops again at once.' });
    expect(parseBudgetRaise('4', { limit: { usd: 5 }, spentUsd: 4.98 })).toMatchObject({ ok: false, problem: 'Enter more than the current $5.00 budget, or the run stops again at once.' });
  });
});
