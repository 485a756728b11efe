/**
 * Tokens and cost summed over model steps: per phase, per phase try, per attempt and per
 * run (SPEC §3). Every store and the shared run reducer add a step's usage with
 * `addStepUsage`, so all of them sum the same numbers in the same order.
 *
 * A step without a known price adds its tokens but no cost, and counts in
 * `unpricedSteps`: a total with unpriced steps is a lower bound ("≥ $0.02"), and one
 * whose steps are all unpriced has no cost at all ("no price", never "$0").
 */
import type { Usage } from './events';

export interface UsageTotals {
  inputTokens: number;
  outputTokens: number;
  /** Of `inputTokens`: read from a prompt cache. */
  cachedInputTokens: number;
  /** Of `outputTokens`: reasoning tokens. */
  reasoningTokens: number;
  /** USD of the priced steps. */
  costUsd: number;
  /** Model steps counted. */
  steps: number;
  /** Of `steps`: those without a known price. */
  unpricedSteps: number;
}

export function emptyTotals(): UsageTotals {
  return { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, reasoningTokens: 0, costUsd: 0, steps: 0, unpricedSteps: 0 };
}

/** Adds one model step to `into` (mutates it). */
export function addStepUsage(into: UsageTotals, step: Usage): void {
  into.inputTokens += step.inputTokens;
  into.outputTokens += step.outputTokens;
  into.cachedInputTokens += step.cachedInputTokens ?? 0;
  into.reasoningTokens += step.reasoningTokens ?? 0;
  into.steps += 1;
  if (typeof step.costUsd === 'number') into.costUsd += step.costUsd;
  else into.unpricedSteps += 1;
}

/** Adds totals to totals (mutates `into`). */
export function addTotals(into: UsageTotals, add: UsageTotals): void {
  into.inputTokens += add.inputTokens;
  into.outputTokens += add.outputTokens;
  into.cachedInputTokens += add.cachedInputTokens;
  into.reasoningTokens += add.reasoningTokens;
  into.costUsd += add.costUsd;
  into.steps += add.steps;
  into.unpricedSteps += add.unpricedSteps;
}

export function totalTokens(u: Pick<UsageTotals, 'inputTokens' | 'outputTokens'>): number {
  return u.inputTokens + u.outputTokens;
}

/**
 * The cost of a total as the `--json` documents and the app show it: USD; 0 when no
 * model was called (a command costs nothing); null when no step had a known price.
 */
export function knownCost(u: UsageTotals): number | null {
  if (u.steps === 0) return 0;
  return u.steps > u.unpricedSteps ? u.costUsd : null;
}
