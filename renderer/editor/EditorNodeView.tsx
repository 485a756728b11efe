/**
 * A phase in the editor: the run view's node look (fixed size, kind icon), with a
 * problem badge when the loader finds something wrong with it, and in a resume preview
 * what resume would do with it. `memo`; all it shows comes in `data`.
 */
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { EditorNode } from './editor-graph';
import { previewLabel, previewTitle, type PhasePreview } from './preview-map';

/** The colour class (run.css) of a node: neutral while editing, by outcome in a preview. */
function look(preview: PhasePreview | null): string {
  if (!preview) return 'state-pending';
  if (preview.state === 'reused') return 'state-succeeded';
  return preview.frontier ? 'state-frontier' : 'state-interrupted';
}

export const EditorNodeView = memo(function EditorNodeView({ data, selected }: NodeProps<EditorNode>) {
  const { phaseId, kind, summary, problems, preview } = data;
  const className = [
    'phase-node',
    'editor-node',
    look(preview),
    preview?.frontier ? 'is-frontier' : '',
    problems.length > 0 ? 'has-problems' : '',
    selected ? 'is-selected' : '',
  ].filter(Boolean).join(' ');
  return (
    <div
      className={className}
      data-testid={`editor-node-${phaseId}`}
      data-preview={preview?.state ?? ''}
      data-reason={preview?.reason ?? ''}
      data-frontier={preview?.frontier ? 'true' : 'false'}
      data-problems={problems.length}
    >
      <Handle type="target" position={Position.Left} data-testid={`editor-node-${phaseId}-in`} />
      <div className="phase-node-top">
        <span className={`kind-icon kind-${kind}`} aria-hidden="true">
          {kind === 'agent' ? '✦' : kind === 'command' ? '›_' : kind === 'approval' ? '✓' : '?'}
        </span>
        <span className="phase-id">{phaseId}</span>
        {problems.length > 0 && (
          <span className="problem-badge" title={problems.join('\n')} data-testid={`editor-node-problems-${phaseId}`}>
            {problems.length}
          </span>
        )}
      </div>
      <div className="phase-node-bottom">
        {preview ? (
          <span className="phase-state" title={previewTitle(preview)}>
            {previewLabel(preview)}
          </span>
        ) : (
          <>
            <span className="node-kind">{kind}</span>
            <span className="node-summary" title={summary}>
              {summary}
            </span>
          </>
        )}
      </div>
      {preview?.frontier && <span className="frontier-tag">runs first</span>}
      <Handle type="source" position={Position.Right} data-testid={`editor-node-${phaseId}-out`} />
    </div>
  );
});
