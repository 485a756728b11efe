/**
 * The run's DAG. Nodes and edges are derived from the store by pure functions, laid out
 * by elk when the structure changes, and fitted into view once per layout.
 */
import { Background, Controls, ReactFlow, ReactFlowProvider, useReactFlow, useStore, type FitViewOptions, type NodeChange } from '@xyflow/react';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
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
/** Room for the legend (top) and the zoom controls (bottom left), which float over the graph. */
const FIT_OPTIONS: FitViewOptions = { padding: { top: '64px', bottom: '24px', left: '64px', right: '32px' }, maxZoom: 1.1, minZoom: 0.05 };

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
  // Only the structure, the layout and the selection reach React Flow; statuses do not
  // (each node selects its own), so streaming events never rebuild the node list.
  const layoutFor = useWaymark((s) => s.layoutFor);
  const positions = useWaymark((s) => s.positions);
  const selected = useWaymark((s) => s.selectedPhaseId);

  const previousNodes = useRef<PhaseNode[]>([]);
  const nodes = useMemo(() => {
    if (!layoutFor || !positions) return [];
    const next = reuseUnchanged(previousNodes.current, deriveNodes(layoutFor, positions, selected));
    previousNodes.current = next;
    return next;
  }, [layoutFor, positions, selected]);
  const edges = useMemo(() => (layoutFor ? deriveEdges(layoutFor) : []), [layoutFor]);

  const { fitView, getViewport, setViewport, getInternalNode } = useReactFlow();
  const containerRef = useRef<HTMLDivElement>(null);
  // Fit once per layout, before the first paint with the new positions (so a big graph
  // is drawn once, fitted, rather than drawn at 100% and then again).
  const sized = useStore((s) => s.width > 0 && s.height > 0);
  useLayoutEffect(() => {
    if (layoutFor && sized) void fitView(FIT_OPTIONS);
  }, [layoutFor, sized, fitView]);
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
