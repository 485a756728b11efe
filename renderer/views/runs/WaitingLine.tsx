/** What a waiting run needs, in one line of its row: the approvals it waits for, or a higher budget. */
import type { WaitingFor } from '../../../shared/events';
import { formatBudgetSpent } from '../../../shared/usage-format';

export function WaitingLine({ waitingFor }: { waitingFor: WaitingFor }) {
  const parts: string[] = [];
  if (waitingFor.approvals.length > 0) parts.push(`Needs approval: ${waitingFor.approvals.join(', ')}`);
  if (waitingFor.budget) parts.push(`Budget reached: ${formatBudgetSpent(waitingFor.budget)}`);
  if (parts.length === 0) parts.push('Waiting for a person');
  return (
    <span className="run-waiting-line" data-testid="run-waiting-for">
      {parts.join(' · ')}
    </span>
  );
}
