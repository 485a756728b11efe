/**
 * Auto-layout of a run's DAG with elkjs (layered, left to right). A pure async function
 * outside React: given the graph's structure it returns node positions. The caller runs
 * it only when the structure changes (ids or edges), never on status changes, so the
 * graph does not jump while events stream in.
 */
import type { ELK, ElkNode } from 'elkjs/lib/elk-api';

/** Every node is drawn at this fixed size, so layout and rendering agree. */
export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 60;

export interface LayoutInput {
  id: string;
  dependsOn: readonly string[];
}

export type Positions = ReadonlyMap<string, { x: number; y: number }>;

const LAYOUT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.layered.spacing.nodeNodeBetweenLayers': '64',
  'elk.spacing.nodeNode': '24',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.edgeRouting': 'SPLINES',
};

/** elk is large: it loads as its own chunk, starting as soon as this module is imported. */
const elkReady: Promise<ELK> = import('elkjs/lib/elk.bundled.js').then(({ default: Elk }) => new Elk());
elkReady.catch(() => {}); // a failed load surfaces in layoutGraph, whose caller falls back to rankLayout

export async function layoutGraph(phases: readonly LayoutInput[]): Promise<Positions> {
  if (phases.length === 0) return new Map();
  const elk = await elkReady;
  const ids = new Set(phases.map((p) => p.id));
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: LAYOUT_OPTIONS,
    children: phases.map((p) => ({ id: p.id, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: phases.flatMap((p) =>
      p.dependsOn.filter((d) => ids.has(d)).map((d) => ({ id: edgeId(d, p.id), sources: [d], targets: [p.id] })),
    ),
  };
  const result = await elk.layout(graph);
  return new Map((result.children ?? []).map((n) => [n.id, { x: n.x ?? 0, y: n.y ?? 0 }]));
}

/** A key that changes exactly when the layout would: the ids and their dependencies. */
export function structureKey(phases: readonly LayoutInput[]): string {
  return phases.map((p) => `${p.id}<${p.dependsOn.join(',')}`).join(';');
}

export function edgeId(from: string, to: string): string {
  return `${from}->${to}`;
}

/**
 * A plain layered placement without crossing reduction: column = longest path from a
 * root, row = declaration order within the column. Instant at any size; used when elk
 * fails, so a graph is always drawn.
 */
export function rankLayout(phases: readonly LayoutInput[]): Positions {
  const rank = new Map<string, number>();
  const ids = new Set(phases.map((p) => p.id));
  const rows = new Map<number, number>();
  const out = new Map<string, { x: number; y: number }>();
  for (const p of phases) {
    const r = Math.max(-1, ...p.dependsOn.filter((d) => ids.has(d)).map((d) => rank.get(d) ?? 0)) + 1;
    rank.set(p.id, r);
    const row = rows.get(r) ?? 0;
    rows.set(r, row + 1);
    out.set(p.id, { x: r * (NODE_WIDTH + 64), y: row * (NODE_HEIGHT + 24) });
  }
  return out;
}
