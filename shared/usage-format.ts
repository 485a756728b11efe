/**
 * How tokens and money read, everywhere (CLI and app): one formatter with units, so a
 * run never shows "$0" for a model without a price, nor "1234567" for tokens.
 *
 *   formatTokenCount(12_400)     → "12.4k"
 *   formatTokenUsage(totals)     → "12.4k in · 3.1k out tokens"
 *   formatUsd(0.02134)           → "$0.0213"
 *   formatCost(totals)           → "$0.0213" | "no price" | "≥ $0.0213 (2 steps unpriced)" | "–"
 *   formatCostShort(totals)      → "$0.0213" | "no price" | "≥ $0.0213" | "–"
 */
import type { Budget, BudgetState } from './events';
import type { UsageTotals } from './usage';

/** "950", "12.4k", "128k", "3.2M". */
export function formatTokenCount(n: number): string {
  if (n < 1000) return `${Math.round(n)}`;
  if (n < 1_000_000) return `${trim((n / 1000).toFixed(n < 100_000 ? 1 : 0))}k`;
  return `${trim((n / 1_000_000).toFixed(1))}M`;
}

/** "12.4k in · 3.1k out tokens"; "–" when nothing was used. */
export function formatTokenUsage(u: Pick<UsageTotals, 'inputTokens' | 'outputTokens'>): string {
  if (u.inputTokens + u.outputTokens === 0) return '–';
  return `${formatTokenCount(u.inputTokens)} in · ${formatTokenCount(u.outputTokens)} out tokens`;
}

/**
 * Dollars with enough digits to mean something: "$12.35", "$1.20", "$0.0213",
 * "$0.00042"; "$0" only for exactly nothing; under a millionth "<$0.000001".
 */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0) return `-${formatUsd(-usd)}`;
  if (usd >= 1) return `$${usd.toFixed(2)}`;
  if (usd < 0.000001) return '<$0.000001';
  // Three significant digits below a dollar, at most six decimals.
  const decimals = Math.min(6, Math.max(2, 2 - Math.floor(Math.log10(usd))));
  return `$${trim(usd.toFixed(decimals), 2)}`;
}

/**
 * The cost of a total: "$0.0213"; "no price" when no step had a known price; "≥ $0.0213
 * (2 steps unpriced)" when some had none; "–" when there was no model step.
 */
export function formatCost(u: Pick<UsageTotals, 'costUsd' | 'steps' | 'unpricedSteps'>): string {
  if (u.steps === 0) return '–';
  if (u.unpricedSteps === u.steps) return 'no price';
  if (u.unpricedSteps > 0) return `≥ ${formatUsd(u.costUsd)} (${u.unpricedSteps} step${u.unpricedSteps === 1 ? '' : 's'} unpriced)`;
  return formatUsd(u.costUsd);
}

/**
 * The cost where there is room for one figure (a runs list row, a graph node): "$0.0213",
 * "no price", "≥ $0.0213" (some steps unpriced), "–" (no model step).
 */
export function formatCostShort(u: Pick<UsageTotals, 'costUsd' | 'steps' | 'unpricedSteps'>): string {
  if (u.steps === 0) return '–';
  if (u.unpricedSteps === u.steps) return 'no price';
  return `${u.unpricedSteps > 0 ? '≥ ' : ''}${formatUsd(u.costUsd)}`;
}

/** A budget's limits: "$5", "200k tokens", "$5 or 200k tokens". */
export function formatBudget(b: Budget): string {
  const parts = [b.usd !== undefined ? formatUsd(b.usd) : undefined, b.tokens !== undefined ? `${formatTokenCount(b.tokens)} tokens` : undefined];
  return parts.filter(Boolean).join(' or ') || 'no limit';
}

/** What was spent against what: "spent $5.02 of $5 budget", "spent 201k of 200k tokens". */
export function formatBudgetSpent(s: BudgetState): string {
  const parts: string[] = [];
  if (s.limit.usd !== undefined) parts.push(`${formatUsd(s.spentUsd)} of ${formatUsd(s.limit.usd)}`);
  if (s.limit.tokens !== undefined) parts.push(`${formatTokenCount(s.spentTokens)} of ${formatTokenCount(s.limit.tokens)} tokens`);
  return parts.length > 0 ? `spent ${parts.join(' and ')}` : `spent ${formatUsd(s.spentUsd)}`;
}

/**
 * A higher USD limit to suggest when a run stopped at its budget (the CLI's hint, the
 * app's "Raise budget" default): twice the limit (at least half again what was spent),
 * rounded up to a readable amount ($5 → $10, $0.02 → $0.04, $3.40 → $7).
 */
export function suggestBudgetUsd(state: Pick<BudgetState, 'limit' | 'spentUsd'>): number {
  const target = Math.max((state.limit.usd ?? 0) * 2, state.spentUsd * 1.5) || 1;
  const step = 10 ** Math.floor(Math.log10(target)) / 2;
  return Number((Math.ceil(target / step) * step).toPrecision(6));
}

/** Drops trailing zeros after the decimal point, keeping at least `keep` decimals. */
function trim(fixed: string, keep = 0): string {
  if (!fixed.includes('.')) return fixed;
  const [whole, frac = ''] = fixed.split('.') as [string, string?];
  let end = frac.length;
  while (end > keep && frac[end - 1] === '0') end -= 1;
  return end === 0 ? whole : `${whole}.${frac.slice(0, end)}`;
}
