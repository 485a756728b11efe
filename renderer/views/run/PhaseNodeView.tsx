/**
 * A phase on the graph: fixed size, coloured by state, with a stable test id. `memo`,
 * and given data objects that keep their identity when unchanged (derive-nodes.ts), so
 * a status change re-renders only the nodes it touched.
 */
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { nodeState, type PhaseNode } from '../../graph/derive-nodes';
import { formatSpan, formatTokens } from '../../util/format';
import { useNow } from '../../util/use-now';

export const PhaseNodeView = memo(function PhaseNodeView({ data, selected }: NodeProps<PhaseNode>) {
  const state = nodeState(data);
  const running = data.status === 'running';
  const now = useNow(running);
  const showTime = data.startedAt !== null && data.status !== 'pending' && data.status !== 'skipped';
  return (
    <div
      className={`phase-node state-${state}${data.frontier ? ' is-frontier' : ''}${selected ? ' is-selected' : ''}`}
      data-testid={`phase-node-${data.phaseId}`}
      data-status={data.status}
      data-frontier={data.frontier ? 'true' : 'false'}
      title={data.errorMessage ?? undefined}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="phase-node-top">
        <span className={`kind-icon kind-${data.kind}`} aria-hidden="true">
          {data.kind === 'agent' ? '✦' : '›_'}
        </span>
        <span className="phase-id">{data.phaseId}</span>
        {data.attempts > 1 && <span className="phase-attempts" title={`${data.attempts} tries`}>×{data.attempts}</span>}
      </div>
      <div className="phase-node-bottom">
        <span className="phase-state">{data.status}</span>
        <span className="num">{showTime ? formatSpan(data.startedAt, running ? null : data.finishedAt, now) : ''}</span>
        {data.tokens > 0 && <span className="num">{formatTokens(data.tokens)}</span>}
      </div>
      {data.frontier && <span className="frontier-tag">resumes here</span>}
      {running && <span className="phase-progress" aria-hidden="true" />}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
});
