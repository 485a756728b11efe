/**
 * Where the editor draws each phase: the file's `layout:` position when it has one,
 * else elk's (`layoutGraph`, the run view's layout). New phases go to a free spot.
 */
import { LAYER_GAP, NODE_GAP, NODE_HEIGHT, NODE_WIDTH, type Positions } from '../graph/layout-constants';
import type { FlowModel } from './model';

/** Whether some phase has no position in the file, so elk must place it. */
export function needsAutoLayout(model: FlowModel): boolean {
  return model.phases.some((p) => !model.layout.has(p.id));
}

/** The structure elk lays out: ids and edges; positions are recomputed only when it changes. */
export function structureKey(model: FlowModel): string {
  return model.phases.map((p) => `${p.id}<${p.dependsOn.join(',')}`).join(';');
}

/**
 * Every phase's position: the file's, else elk's. A phase neither knows yet (elk is
 * still laying out a new structure) waits in a free spot. Null before the first layout.
 */
export function resolvePositions(model: FlowModel, auto: Positions | null): Map<string, { x: number; y: number }> | null {
  const positions = new Map<string, { x: number; y: number }>();
  const waiting: string[] = [];
  for (const phase of model.phases) {
    const pos = model.layout.get(phase.id) ?? auto?.get(phase.id);
    if (pos) positions.set(phase.id, pos);
    else waiting.push(phase.id);
  }
  if (waiting.length > 0 && auto === null) return null;
  for (const id of waiting) positions.set(id, freePosition(positions.values(), { x: 0, y: 0 }));
  return positions;
}

/** `wanted`, or the nearest spot below it where a node overlaps none of `taken`. */
export function freePosition(taken: Iterable<{ x: number; y: number }>, wanted: { x: number; y: number }): { x: number; y: number } {
  const boxes = [...taken];
  const overlaps = (p: { x: number; y: number }) => boxes.some((b) => Math.abs(b.x - p.x) < NODE_WIDTH + NODE_GAP / 2 && Math.abs(b.y - p.y) < NODE_HEIGHT + NODE_GAP / 2);
  const pos = { x: Math.round(wanted.x), y: Math.round(wanted.y) };
  for (let i = 0; i < 200 && overlaps(pos); i++) {
    pos.y += NODE_HEIGHT + NODE_GAP;
    if (i % 8 === 7) pos.x += NODE_WIDTH + LAYER_GAP;
  }
  return pos;
}

/** A new phase id for `kind`: `agent_1`, `agent_2`… the first one not taken. */
export function newPhaseId(kind: string, taken: readonly string[]): string {
  const base = kind.replace(/[^a-z0-9_-]/g, '') || 'phase';
  for (let n = 1; ; n++) if (!taken.includes(`${base}_${n}`)) return `${base}_${n}`;
}
