/**
 * React Flow nodes and edges derived from domain state by pure functions (STYLE rule 14).
 *
 * Two levels, so a streaming run never touches React Flow's own store:
 * - `deriveNodes` / `deriveEdges`: the graph's shells (id, kind, position, selection)
 *   from the structure and the layout. They change only when the structure, the layout
 *   or the selection changes.
 * - `phaseNodeState`: what a node shows (status, frontier, timings, tokens) from its
 *   phase record. Each node component selects its own record, so a status change
 *   re-renders that one node and nothing else.
 */
import { Position, type Edge, type Node } from '@xyflow/react';
import type { WaitReason } from '../../shared/events';
import type { PhaseStatus } from '../../shared/status';
import type { PhaseRecord } from '../../shared/records';
import { formatCostShort } from '../../shared/usage-format';
import type { StructureEntry } from '../state/run-view';
import { edgeId, NODE_HEIGHT, NODE_WIDTH, type Positions } from './layout';

/** How a node is coloured: its phase status, or `frontier` where a resume starts. */
export type NodeState = PhaseStatus | 'frontier';

export interface PhaseNodeData extends Record<string, unknown> {
  phaseId: string;
  kind: string;
}

export type PhaseNode = Node<PhaseNodeData, 'phase'>;

/** What a phase node shows; compared field by field to skip needless renders. */
export interface PhaseNodeState {
  status: PhaseStatus;
  /** Runs first on resume (failed, interrupted and cancelled runs). */
  frontier: boolean;
  attempts: number;
  startedAt: number | null;
  finishedAt: number | null;
  tokens: number;
  /** The phase's cost, short ("$0.0213", "no price", "≥ $0.01"); '–' without model steps. */
  cost: string;
  /** What a waiting phase waits for. */
  waitingFor: WaitReason | null;
  errorMessage: string | null;
}

/** Handles at fixed places, so nodes need no DOM measurement before they can be drawn. */
const HANDLES: PhaseNode['handles'] = [
  { type: 'target', position: Position.Left, x: -4, y: NODE_HEIGHT / 2 - 4, width: 8, height: 8 },
  { type: 'source', position: Position.Right, x: NODE_WIDTH - 4, y: NODE_HEIGHT / 2 - 4, width: 8, height: 8 },
];

export function deriveNodes(structure: readonly StructureEntry[], positions: Positions, selectedId: string | null): PhaseNode[] {
  const nodes: PhaseNode[] = [];
  for (const { id, kind } of structure) {
    const position = positions.get(id);
    if (!position) continue;
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
      ariaLabel: `Phase ${id} (${kind}): open in the inspector`,
      data: { phaseId: id, kind },
    });
  }
  return nodes;
}

export function deriveEdges(structure: readonly StructureEntry[]): Edge[] {
  const ids = new Set(structure.map((p) => p.id));
  return structure.flatMap((p) =>
    p.dependsOn.filter((dep) => ids.has(dep)).map((dep) => ({ id: edgeId(dep, p.id), source: dep, target: p.id, focusable: false, selectable: false, interactionWidth: 0 })),
  );
}

/** The state a phase node shows, or null when the run has no such phase. */
export function phaseNodeState(phase: PhaseRecord | undefined, frontier: readonly string[]): PhaseNodeState | null {
  if (!phase) return null;
  return {
    status: phase.status,
    // A waiting phase is on its waiting run's frontier too, but what it needs is a person.
    frontier: phase.status !== 'waiting' && frontier.includes(phase.phaseId),
    attempts: phase.attempts,
    startedAt: phase.startedAt,
    finishedAt: phase.finishedAt,
    tokens: phase.usage.inputTokens + phase.usage.outputTokens,
    cost: formatCostShort(phase.usage),
    waitingFor: phase.status === 'waiting' ? (phase.waiting?.reason ?? null) : null,
    errorMessage: phase.error?.message ?? null,
  };
}

export function nodeState(state: Pick<PhaseNodeState, 'status' | 'frontier'>): NodeState {
  return state.frontier && state.status !== 'failed' && state.status !== 'waiting' ? 'frontier' : state.status;
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
