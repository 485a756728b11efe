/**
 * One model step's tokens and cost, on its transcript entry: "120 in · 30 out tokens ·
 * $0.00042". The cost is what the step cost when it ran; "no price" when its model had
 * none (never $0), nothing for steps recorded before Waymark priced them.
 */
import type { Usage } from '../../../shared/events';
import { formatUsd } from '../../../shared/usage-format';

export function StepUsage({ usage }: { usage: Usage }) {
  const details = [
    usage.cachedInputTokens ? `${usage.cachedInputTokens.toLocaleString()} of the input from the cache` : null,
    usage.reasoningTokens ? `${usage.reasoningTokens.toLocaleString()} of the output reasoning` : null,
  ].filter((d): d is string => d !== null);
  const cost = usage.costUsd === undefined ? null : usage.costUsd === null ? 'no price' : formatUsd(usage.costUsd);
  return (
    <span className="muted num step-usage" title={details.length > 0 ? details.join('; ') : undefined} data-testid="step-usage">
      {usage.inputTokens.toLocaleString()} in · {usage.outputTokens.toLocaleString()} out tokens
      {cost !== null && <span className={usage.costUsd === null ? 'cost-unknown' : 'cost'}> · {cost}</span>}
    </span>
  );
}
