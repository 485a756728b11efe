/**
 * The editor's React Flow nodes and edges, derived from the flow model by pure
 * functions (STYLE rule 14): positions, selection, problems and the resume preview in,
 * nodes and edges out. Nodes are draggable and connectable; an edge points from a
 * dependency to its dependent, the way the run view draws it, between the phases'
 * facing sides (EditorEdge).
 */
import { MarkerType, Position, type Node } from '@xyflow/react';
import { edgeId } from '../graph/layout';
import { NODE_HEIGHT, NODE_WIDTH } from '../graph/layout-constants';
import type { EditorSelection } from '../state/editor-slice';
import type { EditorEdgeType } from './EditorEdge';
import type { FlowModel, ModelPhase } from './model';
import type { ProblemMap } from './problem-map';
import type { PhasePreview } from './preview-map';

export interface EditorNodeData extends Record<string, unknown> {
  phaseId: string;
  kind: string;
  /** One line about what the phase does (its command, or its model). */
  summary: string;
  problems: string[];
  preview: PhasePreview | null;
}

export type EditorNode = Node<EditorNodeData, 'editor-phase'>;

/** Handles at fixed places, so nodes need no DOM measurement before edges can be drawn. */
const HANDLE_SIZE = 12;
const HANDLES: EditorNode['handles'] = [
  { type: 'target', position: Position.Left, x: -HANDLE_SIZE / 2, y: NODE_HEIGHT / 2 - HANDLE_SIZE / 2, width: HANDLE_SIZE, height: HANDLE_SIZE },
  { type: 'source', position: Position.Right, x: NODE_WIDTH - HANDLE_SIZE / 2, y: NODE_HEIGHT / 2 - HANDLE_SIZE / 2, width: HANDLE_SIZE, height: HANDLE_SIZE },
];

/** Edges point from a dependency to its dependent. */
const ARROW = { type: MarkerType.ArrowClosed, width: 16, height: 16 } as const;

export interface NodeInputs {
  model: FlowModel;
  positions: ReadonlyMap<string, { x: number; y: number }>;
  selection: EditorSelection;
  problems: ProblemMap;
  preview: ReadonlyMap<string, PhasePreview> | null;
}

export function deriveEditorNodes({ model, positions, selection, problems, preview }: NodeInputs): EditorNode[] {
  return model.phases.map((phase) => ({
    id: phase.id,
    type: 'editor-phase',
    position: positions.get(phase.id) ?? { x: 0, y: 0 },
    width: NODE_WIDTH,
    height: NODE_HEIGHT,
    measured: { width: NODE_WIDTH, height: NODE_HEIGHT },
    handles: HANDLES,
    selected: selection?.type === 'phase' && selection.id === phase.id,
    ariaLabel: `Phase ${phase.id} (${phase.kind}): edit in the side panel`,
    data: {
      phaseId: phase.id,
      kind: phase.kind,
      summary: summarise(phase),
      problems: (problems.phases.get(phase.id)?.all ?? []).map((p) => p.message),
      preview: preview?.get(phase.id) ?? null,
    },
  }));
}

export function deriveEditorEdges(model: FlowModel, selection: EditorSelection): EditorEdgeType[] {
  const ids = new Set(model.phases.map((p) => p.id));
  return model.phases.flatMap((phase) =>
    phase.dependsOn
      .filter((dep) => ids.has(dep) && dep !== phase.id)
      .map((dep) => ({
        id: edgeId(dep, phase.id),
        type: 'dependency' as const,
        source: dep,
        target: phase.id,
        selected: selection?.type === 'edge' && selection.from === dep && selection.to === phase.id,
        ariaLabel: `${phase.id} depends on ${dep}`,
        className: 'editor-edge',
        markerEnd: ARROW,
        data: { from: dep, to: phase.id },
      })),
  );
}

function summarise(phase: ModelPhase): string {
  const { fields } = phase;
  const text = (key: string) => (typeof fields[key] === 'string' ? (fields[key] as string) : '');
  const line = phase.kind === 'command' ? text('run') : text('model') || text('prompt');
  return line.split('\n').find((l) => l.trim())?.trim() ?? '';
}
