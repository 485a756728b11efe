/**
 * A phase's spending on its graph node, as one small figure: its cost ("$0.0213",
 * "≥ $0.02" when some steps had no price) or, when its model has no price, its tokens
 * ("2.1k tok": never $0). The tooltip has both. Nothing before any model step.
 */
import { formatTokenCount } from '../../../shared/usage-format';

export function NodeSpend({ tokens, cost }: { tokens: number; cost: string }) {
  if (cost === '–' && tokens === 0) return null;
  const priced = cost !== '–' && cost !== 'no price';
  return (
    <span className="num node-spend" title={`${tokens.toLocaleString()} tokens · ${cost === '–' ? 'no model step' : cost}`} data-testid="node-spend">
      {priced ? cost : `${formatTokenCount(tokens)} tok`}
    </span>
  );
}
