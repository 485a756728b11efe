/**
 * Auto-layout of a run's DAG with elkjs (layered, left to right). A pure async function
 * outside React: given the graph's structure it returns node positions. The caller runs
 * it only when the structure changes (ids or edges), never on status changes, so the
 * graph does not jump while events stream in.
 */
import type { ELK, ElkNode } from 'elkjs/lib/elk-api';
import { layeredLayout } from './layered-layout';
import { LAYER_GAP, NODE_GAP, NODE_HEIGHT, NODE_WIDTH, type LayoutInput, type Positions } from './layout-constants';

export { NODE_HEIGHT, NODE_WIDTH, type LayoutInput, type Positions };

/**
 * Above this many phases elk takes too long on a cold page (about a second for 500),
 * and the graph is drawn by `layeredLayout`, the same kind of layout in plain code.
 */
export const ELK_MAX_PHASES = 150;

const LAYOUT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.layered.spacing.nodeNodeBetweenLayers': String(LAYER_GAP),
  'elk.spacing.nodeNode': String(NODE_GAP),
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.edgeRouting': 'SPLINES',
};

/** elk is large: it loads as its own chunk, starting as soon as this module is imported. */
const elkReady: Promise<ELK> = import('elkjs/lib/elk.bundled.js').then(({ default: Elk }) => new Elk());
elkReady.catch(() => {}); // a failed load surfaces in layoutGraph, whose caller falls back to layeredLayout

export async function layoutGraph(phases: readonly LayoutInput[]): Promise<Positions> {
  if (phases.length === 0) return new Map();
  if (phases.length > ELK_MAX_PHASES) return layeredLayout(phases);
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

export function edgeId(from: string, to: string): string {
  return `${from}->${to}`;
}

