/**
 * A phase on the graph: fixed size, coloured by state, with a stable test id. `memo`,
 * and it selects its own state from the store (phaseNodeState), so a status change
 * re-renders this node only and never goes through React Flow's node list.
 *
 * Zoomed out, small text would be a few pixels high: below DETAIL_ZOOM a node shows
 * only its id, in large type; below LABEL_ZOOM (a big flow fitted to the window) it is
 * a plain coloured tile. That also keeps the browser's work per update small while
 * hundreds of phases stream.
 */
import { Handle, Position, useStore, type NodeProps } from '@xyflow/react';
import { memo, useMemo } from 'react';
import { nodeState, phaseNodeState, type PhaseNode } from '../../graph/derive-nodes';
import { isPhaseMatch } from '../../graph/phase-search';
import { useWaymark } from '../../state/store';
import { formatSpan } from '../../util/format';
import { useNow } from '../../util/use-now';
import { NodeSpend } from './NodeSpend';
import { KIND_ICONS, WAITING_LABELS } from './phase-labels';

export const DETAIL_ZOOM = 0.6;
export const LABEL_ZOOM = 0.2;
type Detail = 'full' | 'label' | 'tile';

export const PhaseNodeView = memo(function PhaseNodeView({ data, selected }: NodeProps<PhaseNode>) {
  // Two identity selections (the reducer copies a phase record only when it changes),
  // so the hundreds of nodes of a big run cost next to nothing per store update.
  const phase = useWaymark((s) => s.view?.phases[data.phaseId]);
  const frontier = useWaymark((s) => s.view?.frontier);
  const state = useMemo(() => phaseNodeState(phase, frontier ?? []), [phase, frontier]);
  const match = useWaymark((s) => s.phaseQuery !== '' && isPhaseMatch(data.phaseId, s.phaseQuery));
  const optional = useWaymark((s) => s.view?.optional.has(data.phaseId) ?? false);
  const detail = useStore((s): Detail => (s.transform[2] >= DETAIL_ZOOM ? 'full' : s.transform[2] >= LABEL_ZOOM ? 'label' : 'tile'));
  const detailed = detail === 'full';
  const running = state?.status === 'running';
  // A waiting phase's try is still open: its time runs on.
  const open = running || state?.status === 'waiting';
  const now = useNow(open && detailed);
  if (!state) return null;
  const look = nodeState(state);
  const showTime = state.startedAt !== null && state.status !== 'pending' && state.status !== 'skipped';
  const attributes = {
    className: `phase-node state-${look}${state.frontier ? ' is-frontier' : ''}${selected ? ' is-selected' : ''}${match ? ' is-match' : ''}${optional ? ' is-optional' : ''}${detailed ? '' : ` compact ${detail}`}`,
    'data-testid': `phase-node-${data.phaseId}`,
    'data-status': state.status,
    'data-frontier': state.frontier ? 'true' : 'false',
    'data-optional': optional ? 'true' : 'false',
  };
  if (!detailed) {
    return (
      <div {...attributes} title={`${data.phaseId}${optional ? ' (optional)' : ''}: ${state.status}${state.frontier ? ', resumes here' : ''}`}>
        <Handle type="target" position={Position.Left} isConnectable={false} />
        {detail === 'label' && <span className="phase-label">{data.phaseId}</span>}
        <Handle type="source" position={Position.Right} isConnectable={false} />
      </div>
    );
  }
  return (
    <div {...attributes} title={state.errorMessage ?? undefined}>
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="phase-node-top">
        <span className={`kind-icon kind-${data.kind}`} aria-hidden="true">
          {KIND_ICONS[data.kind] ?? '•'}
        </span>
        <span className="phase-id">{data.phaseId}</span>
        {optional && (
          <span className="optional-mark" title="Optional: if it fails, the run goes on (its dependents are skipped)">
            optional
          </span>
        )}
        {state.attempts > 1 && (
          <span className="phase-attempts" title={`${state.attempts} tries`}>
            ×{state.attempts}
          </span>
        )}
      </div>
      <div className="phase-node-bottom">
        <span className="phase-state">{state.status}</span>
        <span className="num">{showTime ? formatSpan(state.startedAt, open ? null : state.finishedAt, now) : ''}</span>
        <NodeSpend tokens={state.tokens} cost={state.cost} />
      </div>
      {state.waitingFor ? <span className="waiting-tag">{WAITING_LABELS[state.waitingFor]}</span> : state.frontier && <span className="frontier-tag">resumes here</span>}
      {running && <span className="phase-progress" aria-hidden="true" />}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
});
