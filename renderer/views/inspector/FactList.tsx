/** A phase's or a try's facts as label / value pairs, and the token and cost facts both show. */
import type { UsageTotals } from '../../../shared/usage';
import { formatCost } from '../../../shared/usage-format';

export type Fact = [label: string, value: string];

export function FactList({ facts, testId }: { facts: readonly Fact[]; testId: string }) {
  return (
    <dl className="facts" data-testid={testId}>
      {facts.map(([label, value]) => (
        <div key={label} data-fact={label}>
          <dt>{label}</dt>
          <dd className="num">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Tokens (cached and reasoning ones when there are any) and cost, for agent phases and anything that called a model. */
export function usageFacts(kind: string, usage: UsageTotals): Fact[] {
  if (kind !== 'agent' && usage.steps === 0) return [];
  const facts: Fact[] = [
    ['Input tokens', usage.inputTokens.toLocaleString()],
    ['Output tokens', usage.outputTokens.toLocaleString()],
  ];
  if (usage.cachedInputTokens > 0) facts.push(['Cached input tokens', usage.cachedInputTokens.toLocaleString()]);
  if (usage.reasoningTokens > 0) facts.push(['Reasoning tokens', usage.reasoningTokens.toLocaleString()]);
  facts.push(['Cost', formatCost(usage)]);
  return facts;
}
