/**
 * React Flow nodes and edges derived from domain state by pure functions (STYLE rule 14).
 * Positions come from the layout, everything else from the phase records, so a status
 * change never moves a node. `reuseUnchanged` keeps the identity of nodes whose data did
 * not change, so memoised node components skip rendering.
 */
import { Position, type Edge, type Node } from '@xyflow/react';
import type { PhaseRecord } from '../../shared/records';
import type { PhaseStatus } from '../../shared/status';
import { edgeId, NODE_HEIGHT, NODE_WIDTH, type Positions } from './layout';

/** How a node is drawn: its phase status, or `frontier` where the run resumes first. */
export type NodeState = PhaseStatus | 'frontier';

export interface PhaseNodeData extends Record<string, unknown> {
  phaseId: string;
  kind: string;
  status: PhaseStatus;
  /** Runs first on resume (failed, interrupted and cancelled runs). */
  frontier: boolean;
  attempts: number;
  startedAt: number | null;
  finishedAt: number | null;
  tokens: number;
  errorMessage: string | null;
}

export type PhaseNode = Node<PhaseNodeData, 'phase'>;

export interface GraphSource {
  phases: Readonly<Record<string, PhaseRecord>>;
  order: readonly string[];
  frontier: readonly string[];
}

/** Handles at fixed places, so nodes need no DOM measurement before they can be drawn. */
const HANDLES: PhaseNode['handles'] = [
  { type: 'target', position: Position.Left, x: -4, y: NODE_HEIGHT / 2 - 4, width: 8, height: 8 },
  { type: 'source', position: Position.Right, x: NODE_WIDTH - 4, y: NODE_HEIGHT / 2 - 4, width: 8, height: 8 },
];

export function nodeState(data: Pick<PhaseNodeData, 'status' | 'frontier'>): NodeState {
  return data.frontier && data.status !== 'failed' ? 'frontier' : data.status;
}

export function deriveNodes(source: GraphSource, positions: Positions, selectedId: string | null): PhaseNode[] {
  const frontier = new Set(source.frontier);
  const nodes: PhaseNode[] = [];
  for (const id of source.order) {
    const phase = source.phases[id];
    const position = positions.get(id);
    if (!phase || !position) continue;
    nodes.push({
      id,
      type: 'phase',
      position,
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
      measured: { width: NODE_WIDTH, height: NODE_HEIGHT },
      handles: HANDLES,
      selected: id === selectedId,
      draggable: false,
      connectable: false,
      deletable: false,
      ariaLabel: `Phase ${id}, ${phase.status}${frontier.has(id) ? ', runs first on resume' : ''}`,
      data: {
        phaseId: id,
        kind: phase.kind,
        status: phase.status,
        frontier: frontier.has(id),
        attempts: phase.attempts,
        startedAt: phase.startedAt,
        finishedAt: phase.finishedAt,
        tokens: phase.usage.inputTokens + phase.usage.outputTokens,
        errorMessage: phase.error?.message ?? null,
      },
    });
  }
  return nodes;
}

export function deriveEdges(source: GraphSource): Edge[] {
  const edges: Edge[] = [];
  for (const id of source.order) {
    const phase = source.phases[id];
    if (!phase) continue;
    for (const dep of phase.dependsOn) {
      if (!source.phases[dep]) continue;
      const from = source.phases[dep]?.status;
      edges.push({
        id: edgeId(dep, id),
        source: dep,
        target: id,
        className: from === 'succeeded' ? 'edge-done' : 'edge-waiting',
        animated: from === 'succeeded' && phase.status === 'running',
        focusable: false,
        selectable: false,
      });
    }
  }
  return edges;
}

/** Returns `next`, with each element replaced by its `previous` twin when equal. */
export function reuseUnchanged<T extends Node | Edge>(previous: readonly T[], next: T[]): T[] {
  if (previous.length === 0) return next;
  const old = new Map(previous.map((item) => [item.id, item]));
  let same = previous.length === next.length;
  const out = next.map((item, i) => {
    const prior = old.get(item.id);
    const keep = prior !== undefined && shallowEqualItem(prior, item);
    if (!keep || previous[i] !== prior) same = false;
    return keep ? prior : item;
  });
  return same ? (previous as T[]) : out;
}

function shallowEqualItem(a: Node | Edge, b: Node | Edge): boolean {
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  const ka = Object.keys(ra);
  if (ka.length !== Object.keys(rb).length) return false;
  return ka.every((k) => {
    const va = ra[k];
    const vb = rb[k];
    if (va === vb) return true;
    if (k === 'data' || k === 'position' || k === 'measured') return shallowEqual(va, vb);
    return false;
  });
}

function shallowEqual(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
}
