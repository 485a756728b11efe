/**
 * The run's DAG. Nodes and edges are derived from the store by pure functions, laid out
 * by elk when the structure changes, and fitted into view once per layout. For big runs:
 * a minimap coloured by status, a fit button that keeps the graph clear of the
 * inspector, and a button (and search, elsewhere) that zooms to the selected phase.
 */
import { Background, ControlButton, Controls, ReactFlow, ReactFlowProvider, type NodeChange } from '@xyflow/react';
import { useCallback, useMemo, useRef } from 'react';
import { useCommands } from '../../app/commands-context';
import { deriveEdges, deriveNodes, reuseUnchanged, type PhaseNode } from '../../graph/derive-nodes';
import { useWaymark } from '../../state/store';
import { PhaseNodeView } from './PhaseNodeView';
import { RunMiniMap } from './RunMiniMap';
import { useAutoLayout } from './use-auto-layout';
import { MAX_ZOOM, MIN_ZOOM, useGraphViewport } from './use-graph-viewport';

/** A module constant: a new object per render would remount every node. */
const nodeTypes = { phase: PhaseNodeView };
const PRO_OPTIONS = { hideAttribution: true };

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
  const searching = useWaymark((s) => s.phaseQuery.trim() !== '');

  const previousNodes = useRef<PhaseNode[]>([]);
  const nodes = useMemo(() => {
    if (!layoutFor || !positions) return [];
    const next = reuseUnchanged(previousNodes.current, deriveNodes(layoutFor, positions, selected));
    previousNodes.current = next;
    return next;
  }, [layoutFor, positions, selected]);
  const edges = useMemo(() => (layoutFor ? deriveEdges(layoutFor) : []), [layoutFor]);

  const paneRef = useRef<HTMLDivElement>(null);
  const viewport = useGraphViewport(paneRef);

  const { focus } = viewport;
  const onPick = useCallback(
    (phaseId: string) => {
      commands.selectPhase(phaseId);
      focus(phaseId);
    },
    [commands, focus],
  );
  const onNodesChange = useCallback(
    (changes: NodeChange<PhaseNode>[]) => {
      const picked = changes.find((c) => c.type === 'select' && c.selected);
      if (picked && picked.type === 'select') commands.selectPhase(picked.id);
    },
    [commands],
  );

  return (
    <div className={`graph${searching ? ' searching' : ''}`} ref={paneRef} data-testid="run-graph" data-laid-out={layoutFor ? 'true' : 'false'}>
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
        minZoom={MIN_ZOOM}
        maxZoom={MAX_ZOOM}
        proOptions={PRO_OPTIONS}
        colorMode="system"
        onlyRenderVisibleElements={nodes.length > 200}
      >
        <Background gap={24} size={1} />
        <Controls showInteractive={false} showFitView={false}>
          <ControlButton onClick={viewport.fit} title="Fit the whole graph in view" aria-label="Fit the whole graph in view" data-testid="fit-view">
            <FitIcon />
          </ControlButton>
          <ControlButton
            onClick={() => selected && viewport.focus(selected)}
            disabled={!selected}
            title={selected ? `Zoom to ${selected}` : 'Zoom to the selected phase (select one first)'}
            aria-label="Zoom to the selected phase"
            data-testid="zoom-to-selected"
          >
            <TargetIcon />
          </ControlButton>
        </Controls>
        {nodes.length > 1 && <RunMiniMap searching={searching} onPick={onPick} />}
      </ReactFlow>
    </div>
  );
}

function FitIcon() {
  return (
    <svg viewBox="0 0 16 16" aria-hidden="true">
      <path d="M1.5 5.5v-4h4M10.5 1.5h4v4M14.5 10.5v4h-4M5.5 14.5h-4v-4" fill="none" stroke="currentColor" strokeWidth="1.6" />
    </svg>
  );
}

function TargetIcon() {
  return (
    <svg viewBox="0 0 16 16" aria-hidden="true">
      <circle cx="8" cy="8" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <circle cx="8" cy="8" r="1.5" fill="currentColor" />
      <path d="M8 0.5v2.5M8 13v2.5M0.5 8h2.5M13 8h2.5" stroke="currentColor" strokeWidth="1.6" />
    </svg>
  );
}
