/**
 * One run in the list: status, flow, start, duration, tokens and cost, who runs it; a
 * Resume button when resumable. A run waiting for a person stands out, says what it waits
 * for, and offers Review instead. The list (RunsList) places it in a list item of its own.
 */
import { memo, useMemo } from 'react';
import { ownerLabel } from '../../../shared/owner';
import { formatDuration } from '../../../shared/duration';
import type { RunRecord } from '../../../shared/records';
import { runActiveMs } from '../../../shared/run-time';
import { isResumable } from '../../../shared/status';
import { formatCost, formatCostShort } from '../../../shared/usage-format';
import { useCommands } from '../../app/commands-context';
import { useWaymark } from '../../state/store';
import { formatStart, formatTokens } from '../../util/format';
import { useNow } from '../../util/use-now';
import { StatusBadge } from '../common/StatusBadge';
import { timingTitle } from '../run/RunTiming';
import { WaitingLine } from './WaitingLine';

export const RunRow = memo(function RunRow({ run }: { run: RunRecord }) {
  const commands = useCommands();
  const open = useWaymark((s) => s.openRunId === run.id);
  const highlighted = useWaymark((s) => s.interruptedAtLaunch.includes(run.id));
  const now = useNow(run.status === 'running');
  const started = useMemo(() => formatStart(run.createdAt), [run.createdAt]);
  const waiting = run.status === 'waiting' ? run.waitingFor : null;
  const resumable = isResumable(run.status) && !waiting;
  const owner = ownerLabel(run.owner);
  const classes = ['run-row', open && 'open', highlighted && 'highlighted', (resumable || waiting) && 'resumable', `run-${run.status}`].filter(Boolean).join(' ');
  const review = () => {
    commands.openRun(run.id);
    const approval = waiting?.approvals[0];
    if (approval) commands.selectPhase(approval);
  };
  return (
    <div className={classes} data-testid={`run-row-${run.id}`} data-status={run.status}>
      <button type="button" className="run-row-main" onClick={() => commands.openRun(run.id)} aria-current={open ? 'true' : undefined}>
        <span className="run-row-top">
          <span className="run-flow">{run.flowName}</span>
          <StatusBadge status={run.status} />
        </span>
        <span className="run-row-meta">
          <span>{started}</span>
          {/* What its attempts ran; the wall time since it started is in the tooltip (SPEC §5 History). */}
          <span className="num" aria-label="duration" title={timingTitle(run, now)} data-testid="run-duration">
            {formatDuration(runActiveMs(run, now))}
          </span>
          <span className="num" aria-label="tokens">
            {run.usage.inputTokens + run.usage.outputTokens > 0 ? `${formatTokens(run.usage)} tok` : '–'}
          </span>
          <span
            className={`num run-cost${run.usage.steps > 0 && run.usage.unpricedSteps === run.usage.steps ? ' cost-unknown' : ''}`}
            aria-label="cost"
            title={run.usage.steps > 0 ? `cost: ${formatCost(run.usage)}` : 'no model steps'}
            data-testid="run-cost"
          >
            {formatCostShort(run.usage)}
          </span>
          {owner && (
            <span className="run-owner" title="The process running it (host:pid)" data-testid="run-owner">
              on {owner}
            </span>
          )}
        </span>
        {waiting && <WaitingLine waitingFor={waiting} />}
      </button>
      {waiting && (
        <button type="button" className="button small resume review" onClick={review} aria-label={`Review run ${run.flowName} ${run.id}`} data-testid="review-run">
          Review
        </button>
      )}
      {resumable && (
        <button type="button" className="button small resume" onClick={() => void commands.resumeRun(run.id)} aria-label={`Resume run ${run.flowName} ${run.id}`}>
          Resume
        </button>
      )}
    </div>
  );
});
