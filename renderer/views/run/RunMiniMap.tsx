/**
 * The whole run at a glance, bottom left of the graph beside the zoom buttons (never
 * under the inspector, which covers the right side): every phase a tile in its state's
 * colour (run.css `.state-*`), search matches outlined, the visible part framed. Drag
 * or scroll on it to move around; click a tile to zoom to that phase.
 *
 * Statuses are not on the nodes (see RunGraph). The tiles' looks are recomputed when the
 * phase records change and kept when no look changed (most events change only usage),
 * so streaming events do not re-render the minimap.
 */
import { MiniMap } from '@xyflow/react';
import { useCallback, useMemo, useRef } from 'react';
import { nodeState, type NodeState, type PhaseNode } from '../../graph/derive-nodes';
import { isPhaseMatch } from '../../graph/phase-search';
import { useWaymark } from '../../state/store';

type Looks = ReadonlyMap<string, NodeState>;

export function RunMiniMap({ searching, onPick }: { searching: boolean; onPick: (phaseId: string) => void }) {
  const phases = useWaymark((s) => s.view?.phases);
  const frontier = useWaymark((s) => s.view?.frontier);
  const query = useWaymark((s) => s.phaseQuery);
  const previous = useRef<Looks>(new Map());
  const looks = useMemo(() => {
    const frontierSet = new Set(frontier ?? []);
    const next = new Map(Object.values(phases ?? {}).map((p) => [p.phaseId, nodeState({ status: p.status, frontier: frontierSet.has(p.phaseId) })]));
    const same = next.size === previous.current.size && [...next].every(([id, look]) => previous.current.get(id) === look);
    if (!same) previous.current = next;
    return previous.current;
  }, [phases, frontier]);
  const nodeClassName = useCallback(
    (node: PhaseNode) => `minimap-node state-${looks.get(node.id) ?? 'pending'}${query && isPhaseMatch(node.id, query) ? ' is-match' : ''}`,
    [looks, query],
  );
  const onNodeClick = useCallback((_: unknown, node: PhaseNode) => onPick(node.id), [onPick]);
  return (
    <MiniMap<PhaseNode>
      className={`run-minimap${searching ? ' searching' : ''}`}
      ariaLabel="Overview of the whole run"
      nodeClassName={nodeClassName}
      nodeBorderRadius={10}
      position="bottom-left"
      pannable
      zoomable
      onNodeClick={onNodeClick}
    />
  );
}
