/**
 * The "Raise budget and resume" field: what it suggests and what it accepts. A new USD
 * limit must be a number of dollars above both the limit in force and what the run has
 * spent (else the run would stop again at once).
 */
import type { BudgetState } from '../../../shared/events';
import { formatUsd, suggestBudgetUsd } from '../../../shared/usage-format';

/** Dollars at most (a typo guard: 1e9 is not a budget). */
export const MAX_BUDGET_USD = 1_000_000;

export type BudgetRaise = { ok: true; usd: number } | { ok: false; problem: string };

/** The field's starting value: a readable amount above the limit and what was spent. */
export function suggestedRaise(state: Pick<BudgetState, 'limit' | 'spentUsd'>): string {
  return String(suggestBudgetUsd(state));
}

/** Reads what the user typed ("4", "$4.50", " 0.04 "). */
export function parseBudgetRaise(text: string, state: Pick<BudgetState, 'limit' | 'spentUsd'>): BudgetRaise {
  const typed = text.trim().replace(/^\$\s*/, '');
  if (typed === '') return { ok: false, problem: 'Enter the new budget in US dollars, for example 5 or 0.50.' };
  if (!/^\d*\.?\d+$|^\d+\.$/.test(typed)) return { ok: false, problem: `“${text.trim()}” is not an amount of dollars: use digits and a decimal point, like 2.50.` };
  const usd = Number(typed);
  if (!Number.isFinite(usd) || usd <= 0) return { ok: false, problem: 'The budget must be more than $0.' };
  if (usd > MAX_BUDGET_USD) return { ok: false, problem: `That is more than ${formatUsd(MAX_BUDGET_USD)}: check the amount.` };
  const floor = Math.max(state.limit.usd ?? 0, state.spentUsd);
  if (usd <= floor) {
    const what = state.limit.usd !== undefined && state.limit.usd >= state.spentUsd ? `the current ${formatUsd(state.limit.usd)} budget` : `the ${formatUsd(state.spentUsd)} already spent`;
    return { ok: false, problem: `Enter more than ${what}, or the run stops again at once.` };
  }
  return { ok: true, usd };
}
