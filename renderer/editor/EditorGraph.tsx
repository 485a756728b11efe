/**
 * The editable graph. Every change goes through the editor slice as a FlowEdit:
 * dragging a node writes `layout:` positions when it is dropped, a connection from one
 * node's right handle to another's left handle adds a dependency (refused, with the
 * cycle named, when it would close one: `isValidConnection` asks the loader's own
 * cycle check), Delete/Backspace removes the selected phase or edge. Edges join the
 * facing sides of their phases (EditorEdge); "Tidy layout" and "Tidy all" arrange the
 * graph (LayoutTools).
 */
import {
  Background,
  ConnectionLineType,
  Controls,
  ReactFlow,
  useReactFlow,
  useStore,
  type Connection,
  type Edge,
  type FinalConnectionState,
  type FitViewOptions,
  type NodeChange,
  type OnDelete,
} from '@xyflow/react';
import { useCallback, useLayoutEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import type { FlowEdit } from '../../shared/flow/edit';
import { wouldCreateCycle } from '../../shared/flow/graph';
import type { PhaseKind } from '../../shared/flow/schema';
import { useWaymark } from '../state/store';
import { deriveEditorEdges, deriveEditorNodes, type EditorNode } from './editor-graph';
import { EditorEdge } from './EditorEdge';
import { EditorNodeView } from './EditorNodeView';
import { LayoutTools } from './LayoutTools';
import type { FlowAnalysis } from './model';
import { PALETTE_MIME } from './Palette';
import { freePosition, newPhaseId, resolvePositions } from './positions';
import { previewByPhase } from './preview-map';
import { useAutoPositions } from './use-auto-positions';

/** Module constants: a new object per render would remount every node. */
const nodeTypes = { 'editor-phase': EditorNodeView };
const edgeTypes = { dependency: EditorEdge };
const PRO_OPTIONS = { hideAttribution: true };
const DELETE_KEYS = ['Delete', 'Backspace'];
/** Room at the top for the palette, which floats over the graph. */
const FIT_OPTIONS: FitViewOptions = { padding: { top: '64px', bottom: '48px', left: '32px', right: '32px' }, maxZoom: 1.1, minZoom: 0.2 };

type Point = { x: number; y: number };

export function EditorGraph({ analysis }: { analysis: FlowAnalysis }) {
  const { model, byPhase } = analysis;
  const selection = useWaymark((s) => s.editorSelection);
  const previewed = useWaymark((s) => s.editorPreview);
  const apply = useWaymark((s) => s.editorApply);
  const select = useWaymark((s) => s.editorSelect);
  const spots = useWaymark((s) => s.editorSpots);
  const { positions: auto, pending } = useAutoPositions(model);
  const [dragged, setDragged] = useState<ReadonlyMap<string, Point> | null>(null);

  const resolved = useMemo(() => resolvePositions(model, auto, spots), [model, auto, spots]);
  const positions = useMemo(() => (resolved && dragged ? new Map([...resolved, ...dragged]) : resolved), [resolved, dragged]);
  const preview = useMemo(() => (previewed ? previewByPhase(previewed.preview) : null), [previewed]);
  const nodes = useMemo(
    () => (positions ? deriveEditorNodes({ model, positions, selection, problems: byPhase, preview }) : []),
    [model, positions, selection, byPhase, preview],
  );
  const edges = useMemo(() => deriveEditorEdges(model, selection), [model, selection]);
  const graph = useMemo(() => model.phases.map((p) => ({ id: p.id, depends_on: p.dependsOn })), [model]);

  // Fit the view once, when the first positions arrive.
  const { fitView, screenToFlowPosition } = useReactFlow();
  const sized = useStore((s) => s.width > 0 && s.height > 0);
  const fitted = useRef(false);
  useLayoutEffect(() => {
    if (!fitted.current && positions && sized) {
      fitted.current = true;
      void fitView(FIT_OPTIONS);
    }
  }, [positions, sized, fitView]);

  const onNodesChange = useCallback((changes: NodeChange<EditorNode>[]) => {
    const moves = changes.filter((c) => c.type === 'position' && c.dragging && c.position);
    if (moves.length === 0) return;
    setDragged((prev) => {
      const next = new Map(prev ?? []);
      for (const c of moves) if (c.type === 'position' && c.position) next.set(c.id, c.position);
      return next;
    });
  }, []);

  const onNodeDragStop = useCallback(() => {
    if (dragged && positions) {
      // In a file without `layout:` (elk places every phase), the first drop writes every
      // position, so none moves. Later drops write the dragged phases only: the others
      // without a position stay for "Tidy layout" to place.
      const write = !model.hasLayout ? positions : dragged;
      apply({ type: 'move-phases', positions: Object.fromEntries(write) });
    }
    setDragged(null);
  }, [apply, dragged, model, positions]);

  const isValidConnection = useCallback(
    (c: Connection | Edge) => c.source !== c.target && !wouldCreateCycle(graph, c.source, c.target),
    [graph],
  );
  const onConnect = useCallback((c: Connection) => void apply({ type: 'add-dependency', phase: c.target, dependsOn: c.source }), [apply]);
  // A refused connection: the same edit, refused by applyEdit, names the cycle.
  const onConnectEnd = useCallback(
    (_: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      if (state.isValid !== false || !state.fromNode || !state.toNode || !state.toHandle || state.toHandle.type === state.fromHandle.type) return;
      const [from, to] = state.fromHandle.type === 'source' ? [state.fromNode.id, state.toNode.id] : [state.toNode.id, state.fromNode.id];
      apply({ type: 'add-dependency', phase: to, dependsOn: from });
    },
    [apply],
  );

  const onDelete: OnDelete<EditorNode> = useCallback(
    ({ nodes: gone, edges: cut }) => {
      const deleted = new Set(gone.map((n) => n.id));
      const edits: FlowEdit[] = [
        ...gone.map((n): FlowEdit => ({ type: 'delete-phase', id: n.id })),
        ...cut.filter((e) => !deleted.has(e.source) && !deleted.has(e.target)).map((e): FlowEdit => ({ type: 'remove-dependency', phase: e.target, dependsOn: e.source })),
      ];
      if (edits.length > 0) apply(edits);
    },
    [apply],
  );

  // A kind dropped from the palette becomes a phase where it was dropped.
  const onDragOver = (e: DragEvent) => {
    if (e.dataTransfer.types.includes(PALETTE_MIME)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }
  };
  const onDrop = (e: DragEvent) => {
    const kind = e.dataTransfer.getData(PALETTE_MIME) as PhaseKind;
    if (!kind || !positions) return;
    e.preventDefault();
    const at = screenToFlowPosition({ x: e.clientX, y: e.clientY });
    const id = newPhaseId(kind, model.phases.map((p) => p.id));
    const position = freePosition(positions.values(), { x: at.x - 100, y: at.y - 30 });
    const placeAll = !model.hasLayout;
    apply([{ type: 'add-phase', id, kind, position }, ...(placeAll ? [{ type: 'move-phases' as const, positions: Object.fromEntries(positions) }] : [])]);
    select({ type: 'phase', id });
  };

  return (
    <div className="graph editor-graph" data-testid="editor-graph" data-laid-out={positions && !pending ? 'true' : 'false'} onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        connectionLineType={ConnectionLineType.Straight}
        onNodesChange={onNodesChange}
        onNodeDragStop={onNodeDragStop}
        onNodeClick={(_, node) => select({ type: 'phase', id: node.id })}
        onEdgeClick={(_, edge) => select({ type: 'edge', from: edge.source, to: edge.target })}
        onPaneClick={() => select(null)}
        isValidConnection={isValidConnection}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        onDelete={onDelete}
        deleteKeyCode={DELETE_KEYS}
        selectionKeyCode={null}
        multiSelectionKeyCode={null}
        connectionRadius={24}
        minZoom={0.2}
        maxZoom={2}
        proOptions={PRO_OPTIONS}
        colorMode="system"
      >
        <Background gap={24} size={1} />
        <Controls showInteractive={false} position="bottom-right" />
        <LayoutTools model={model} drawn={positions} />
      </ReactFlow>
    </div>
  );
}
