/**
 * The run's spending among the header's facts: tokens (with units), cost across every
 * attempt ("no price" where models had none, never $0), and, when the attempt runs under
 * a budget, the budget and what is left of it.
 */
import type { Budget } from '../../../shared/events';
import type { RunRecord } from '../../../shared/records';
import { formatBudget, formatCost, formatTokenCount, formatTokenUsage, formatUsd } from '../../../shared/usage-format';
import { totalTokens } from '../../../shared/usage';

export function RunSpend({ run, budget }: { run: RunRecord; budget: Budget | null }) {
  const { usage } = run;
  return (
    <>
      <div>
        <dt>Tokens</dt>
        <dd className="num" data-testid="run-tokens" title={usage.cachedInputTokens > 0 ? `${usage.cachedInputTokens.toLocaleString()} input tokens from the cache` : undefined}>
          {formatTokenUsage(usage)}
        </dd>
      </div>
      <div>
        <dt>Cost</dt>
        <dd className={`num${usage.steps > 0 && usage.unpricedSteps === usage.steps ? ' cost-unknown' : ''}`} data-testid="run-cost">
          {formatCost(usage)}
        </dd>
      </div>
      {budget && (budget.usd !== undefined || budget.tokens !== undefined) && (
        <div>
          <dt>Budget</dt>
          <dd className="num" data-testid="run-budget">
            {formatBudget(budget)}
            <span className="budget-left"> · {budgetLeft(budget, usage.costUsd, totalTokens(usage))}</span>
          </dd>
        </div>
      )}
    </>
  );
}

/** "$0.62 left", "12k tokens left", "$0.62 and 12k tokens left", "none left". */
export function budgetLeft(budget: Budget, spentUsd: number, spentTokens: number): string {
  const left: string[] = [];
  if (budget.usd !== undefined) left.push(formatUsd(Math.max(0, budget.usd - spentUsd)));
  if (budget.tokens !== undefined) left.push(`${formatTokenCount(Math.max(0, budget.tokens - spentTokens))} tokens`);
  const spent = (budget.usd !== undefined && spentUsd >= budget.usd) || (budget.tokens !== undefined && spentTokens >= budget.tokens);
  return spent ? 'none left' : `${left.join(' and ')} left`;
}
