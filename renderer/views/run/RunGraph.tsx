/**
 * The run's DAG. Nodes and edges are derived from the store by pure functions, laid out
 * by elk when the structure changes, and fitted into view once per layout.
 */
import { Background, Controls, ReactFlow, ReactFlowProvider, useReactFlow, type NodeChange } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useCommands } from '../../app/commands-context';
import { deriveEdges, deriveNodes, reuseUnchanged, type PhaseNode } from '../../graph/derive-nodes';
import { NODE_WIDTH } from '../../graph/layout';
import { useWaymark } from '../../state/store';
import { PhaseNodeView } from './PhaseNodeView';
import { useAutoLayout } from './use-auto-layout';

/** A module constant: a new object per render would remount every node. */
const nodeTypes = { phase: PhaseNodeView };
const PRO_OPTIONS = { hideAttribution: true };
/** The inspector panel's width (inspector.css) plus a margin: it covers this much of the graph. */
const COVERED_RIGHT = 460 + 24;

export function RunGraph() {
  return (
    <ReactFlowProvider>
      <Graph />
    </ReactFlowProvider>
  );
}

function Graph() {
  useAutoLayout();
  const commands = useCommands();
  const phases = useWaymark((s) => s.view?.phases);
  const order = useWaymark((s) => s.view?.order);
  const frontier = useWaymark((s) => s.view?.frontier);
  const positions = useWaymark((s) => s.positions);
  const layoutFor = useWaymark((s) => s.layoutFor);
  const selected = useWaymark((s) => s.selectedPhaseId);

  const previousNodes = useRef<PhaseNode[]>([]);
  const nodes = useMemo(() => {
    if (!phases || !order || !frontier || !positions) return [];
    const next = reuseUnchanged(previousNodes.current, deriveNodes({ phases, order, frontier }, positions, selected));
    previousNodes.current = next;
    return next;
  }, [phases, order, frontier, positions, selected]);
  const previousEdges = useRef<ReturnType<typeof deriveEdges>>([]);
  const edges = useMemo(() => {
    if (!phases || !order || !frontier || !positions) return [];
    const next = reuseUnchanged(previousEdges.current, deriveEdges({ phases, order, frontier }));
    previousEdges.current = next;
    return next;
  }, [phases, order, frontier, positions]);

  const { fitView, getViewport, setViewport, getInternalNode } = useReactFlow();
  const containerRef = useRef<HTMLDivElement>(null);
  // The inspector overlays the graph: pan the selected node out from under it.
  useEffect(() => {
    const node = selected ? getInternalNode(selected) : undefined;
    const width = containerRef.current?.clientWidth ?? 0;
    if (!node || width === 0) return;
    const { x, y, zoom } = getViewport();
    const left = node.internals.positionAbsolute.x * zoom + x;
    const right = left + NODE_WIDTH * zoom;
    const visible = width - COVERED_RIGHT;
    if (right <= visible && left >= 0) return;
    const dx = right > visible ? visible - right : 24 - left;
    void setViewport({ x: x + dx, y, zoom }, { duration: 250, interpolate: 'linear' });
  }, [selected, getInternalNode, getViewport, setViewport]);
  useEffect(() => {
    if (!layoutFor) return;
    const frame = requestAnimationFrame(() => void fitView({ padding: 0.12, maxZoom: 1.1, minZoom: 0.05 }));
    return () => cancelAnimationFrame(frame);
  }, [layoutFor, fitView]);

  const onNodesChange = useCallback(
    (changes: NodeChange<PhaseNode>[]) => {
      const picked = changes.find((c) => c.type === 'select' && c.selected);
      if (picked && picked.type === 'select') commands.selectPhase(picked.id);
    },
    [commands],
  );

  return (
    <div className="graph" ref={containerRef} data-testid="run-graph" data-laid-out={layoutFor ? 'true' : 'false'}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onPaneClick={() => commands.selectPhase(null)}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable
        selectionKeyCode={null}
        multiSelectionKeyCode={null}
        deleteKeyCode={null}
        minZoom={0.05}
        maxZoom={2}
        proOptions={PRO_OPTIONS}
        colorMode="system"
        onlyRenderVisibleElements={nodes.length > 200}
      >
        <Background gap={24} size={1} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
