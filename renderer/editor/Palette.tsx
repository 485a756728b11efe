/**
 * Add a phase of any kind (one button per entry of PHASE_KIND_SCHEMAS): click to put it
 * in a free spot in view (not saved as its position: "Tidy layout" places it once it is
 * connected), or drag it onto the graph (saved where it is dropped).
 */
import { useReactFlow, useStoreApi } from '@xyflow/react';
import { PHASE_KINDS, type PhaseKind } from '../../shared/flow/schema';
import { NODE_HEIGHT, NODE_WIDTH } from '../graph/layout-constants';
import { useWaymark } from '../state/store';
import type { FlowModel } from './model';
import { freePosition, newPhaseId } from './positions';

export const PALETTE_MIME = 'application/x-waymark-phase-kind';

const KIND_INFO: Record<PhaseKind, { icon: string; label: string; help: string }> = {
  agent: { icon: '✦', label: 'Agent', help: 'A model with tools, working on a prompt' },
  command: { icon: '›_', label: 'Command', help: 'A shell command; its output is stdout' },
  approval: { icon: '✓', label: 'Approval', help: 'A person approves or rejects; the output is their comment' },
};

export function Palette({ model }: { model: FlowModel }) {
  const apply = useWaymark((s) => s.editorApply);
  const select = useWaymark((s) => s.editorSelect);
  const setSpot = useWaymark((s) => s.editorSetSpot);
  const flow = useStoreApi();
  const { getNodes } = useReactFlow();

  const add = (kind: PhaseKind) => {
    const id = newPhaseId(kind, model.phases.map((p) => p.id));
    // Without a `layout:`, elk places the new phase with the others.
    let spot: { x: number; y: number } | undefined;
    if (model.hasLayout) {
      // The middle of the visible part of the graph, in flow coordinates.
      const { width, height, transform: [x, y, zoom] } = flow.getState();
      const centre = { x: (width / 2 - x) / zoom - NODE_WIDTH / 2, y: (height / 3 - y) / zoom - NODE_HEIGHT / 2 };
      spot = freePosition(getNodes().map((n) => n.position), centre);
    }
    if (!apply({ type: 'add-phase', id, kind })) return;
    if (spot) setSpot(id, spot);
    select({ type: 'phase', id });
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
