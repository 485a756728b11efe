/**
 * One phase in the list view: status, id, kind, tries, time, tokens and the error, from
 * the same per-phase state the graph's nodes show. `memo`, selecting its own record, so
 * an event re-renders only the rows it touches.
 */
import { memo, useMemo } from 'react';
import { useCommands } from '../../app/commands-context';
import { phaseNodeState } from '../../graph/derive-nodes';
import { useWaymark } from '../../state/store';
import { formatSpan, formatTokens } from '../../util/format';
import { useNow } from '../../util/use-now';
import { StatusBadge } from '../common/StatusBadge';

/** The row already names the phase: `phase "x": command exited…` reads `command exited…`. */
function withoutPhaseName(message: string, phaseId: string): string {
  const prefix = `phase "${phaseId}": `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

export const PhaseRow = memo(function PhaseRow({ phaseId, selected }: { phaseId: string; selected: boolean }) {
  const commands = useCommands();
  const showOnGraph = useWaymark((s) => s.setRunDisplay);
  const phase = useWaymark((s) => s.view?.phases[phaseId]);
  const frontier = useWaymark((s) => s.view?.frontier);
  const state = useMemo(() => phaseNodeState(phase, frontier ?? []), [phase, frontier]);
  // A waiting phase's try is still open, like a running one's: its time runs on.
  const open = state?.status === 'running' || state?.status === 'waiting';
  const now = useNow(open);
  if (!phase || !state) return null;
  const timed = state.startedAt !== null && state.status !== 'pending' && state.status !== 'skipped';
  return (
    <li className={`phase-row${selected ? ' selected' : ''}`} data-testid={`phase-row-${phaseId}`} data-status={state.status}>
      <button type="button" className="phase-row-main" onClick={() => commands.selectPhase(phaseId)} aria-current={selected ? 'true' : undefined}>
        <StatusBadge status={state.status} />
        <span className="phase-row-name">
          <span className="phase-row-title">
            <span className="phase-row-id">{phaseId}</span>
            {state.frontier && <span className="frontier-chip">resumes here</span>}
          </span>
          {state.errorMessage && (
            <span className={`phase-row-error${state.status === 'skipped' ? ' note' : ''}`} title={state.errorMessage}>
              {withoutPhaseName(state.errorMessage, phaseId)}
            </span>
          )}
        </span>
        <span className="phase-row-kind">{phase.kind}</span>
        <span className="num phase-row-tries" title="Tries">
          {state.attempts > 1 ? `×${state.attempts}` : ''}
        </span>
        <span className="num">{timed ? formatSpan(state.startedAt, open ? null : state.finishedAt, now) : ''}</span>
        <span className="num" title={state.cost === '–' ? undefined : `cost: ${state.cost}`}>
          {state.tokens > 0 ? formatTokens(state.tokens) : ''}
          {state.cost !== '–' && state.cost !== 'no price' ? ` · ${state.cost}` : ''}
        </span>
      </button>
      {selected && (
        <button type="button" className="button small phase-row-locate" onClick={() => showOnGraph('graph')} data-testid="show-on-graph">
          Show on graph
        </button>
      )}
    </li>
  );
});
