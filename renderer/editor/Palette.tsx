/**
 * Add a phase of any kind (one button per entry of PHASE_KIND_SCHEMAS): click to put it
 * in a free spot, or drag it onto the graph.
 */
import { useStoreApi } from '@xyflow/react';
import { PHASE_KINDS, type PhaseKind } from '../../shared/flow/schema';
import { NODE_HEIGHT, NODE_WIDTH } from '../graph/layout-constants';
import { useWaymark } from '../state/store';
import type { FlowModel } from './model';
import { freePosition, needsAutoLayout, newPhaseId, resolvePositions } from './positions';

export const PALETTE_MIME = 'application/x-waymark-phase-kind';

const KIND_INFO: Record<PhaseKind, { icon: string; label: string; help: string }> = {
  agent: { icon: '✦', label: 'Agent', help: 'A model with tools, working on a prompt' },
  command: { icon: '›_', label: 'Command', help: 'A shell command; its output is stdout' },
};

export function Palette({ model }: { model: FlowModel }) {
  const apply = useWaymark((s) => s.editorApply);
  const select = useWaymark((s) => s.editorSelect);
  const flow = useStoreApi();

  const add = (kind: PhaseKind) => {
    const id = newPhaseId(kind, model.phases.map((p) => p.id));
    // Without a `layout:`, elk places the new phase with the others.
    let position: { x: number; y: number } | undefined;
    if (model.hasLayout && !needsAutoLayout(model)) {
      // The middle of the visible part of the graph, in flow coordinates.
      const { width, height, transform: [x, y, zoom] } = flow.getState();
      const centre = { x: (width / 2 - x) / zoom - NODE_WIDTH / 2, y: (height / 3 - y) / zoom - NODE_HEIGHT / 2 };
      position = freePosition(resolvePositions(model, null)?.values() ?? [], centre);
    }
    if (apply({ type: 'add-phase', id, kind, ...(position ? { position } : {}) })) select({ type: 'phase', id });
  };

  return (
    <div className="palette" role="toolbar" aria-label="Add a phase" data-testid="palette">
      <span className="palette-title">Add phase</span>
      {PHASE_KINDS.map((kind) => (
        <button
          key={kind}
          type="button"
          className="palette-item"
          draggable
          onDragStart={(e) => {
            e.dataTransfer.setData(PALETTE_MIME, kind);
            e.dataTransfer.effectAllowed = 'copy';
          }}
          onClick={() => add(kind)}
          title={`${KIND_INFO[kind].help}. Click to add, or drag onto the graph.`}
          data-testid={`palette-${kind}`}
        >
          <span className={`kind-icon kind-${kind}`} aria-hidden="true">
            {KIND_INFO[kind].icon}
          </span>
          {KIND_INFO[kind].label}
        </button>
      ))}
    </div>
  );
}
