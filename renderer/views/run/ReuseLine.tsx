/**
 * On a resumed run: what reusing completed phases saved (their tokens and cost when they
 * ran) and what phases that ran again spent again (shared/reuse.ts, as `waymark show` says).
 */
import type { ReuseSummary } from '../../../shared/reuse';
import type { UsageTotals } from '../../../shared/usage';
import { formatCost, formatTokenUsage } from '../../../shared/usage-format';

export function ReuseLine({ reuse }: { reuse: ReuseSummary }) {
  const phases = (n: number) => `${n} ${n === 1 ? 'phase' : 'phases'}`;
  return (
    <p className="reuse-line" data-testid="reuse-line">
      <span>
        Resumed {reuse.resumes}×:{' '}
        {reuse.reusedPhases > 0 ? (
          <>
            reusing {phases(reuse.reusedPhases)} saved <strong>{spend(reuse.saved)}</strong>
          </>
        ) : (
          'no phase was reused'
        )}
      </span>
      <span>
        {reuse.rerunPhases.length > 0 ? (
          <>
            ; {phases(reuse.rerunPhases.length)} that ran again spent <strong>{spend(reuse.spentAgain)}</strong> again
          </>
        ) : (
          '; nothing was paid for twice'
        )}
        .
      </span>
    </p>
  );
}

function spend(u: UsageTotals): string {
  if (u.steps === 0) return 'no model tokens';
  return `${formatTokenUsage(u)} (${formatCost(u)})`;
}
