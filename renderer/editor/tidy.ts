/**
 * Arranging the editor's graph with the automatic layout (elk's, `layoutGraph`), as pure
 * functions of the phases, the positions that must not move, and that layout:
 * - `placeUnplaced`: phases without a position go where the automatic layout puts them
 *   relative to their neighbours that have one (the same offset those neighbours were
 *   moved by), then to the nearest free spot; phases with no placed neighbour keep the
 *   automatic layout's place. Positions that are given never change.
 * - `tidyAll`: the automatic layout for every phase, moved to start where the graph
 *   started (its top-left corner), so the graph does not jump across the canvas.
 */
import type { LayoutInput, Positions } from '../graph/layout-constants';
import { freePosition } from './free-spot';

export type Point = { x: number; y: number };

export function placeUnplaced(phases: readonly LayoutInput[], fixed: ReadonlyMap<string, Point>, auto: Positions): Map<string, Point> {
  const ids = new Set(phases.map((p) => p.id));
  const neighbours = new Map<string, string[]>(phases.map((p) => [p.id, []]));
  for (const p of phases) {
    for (const d of p.dependsOn) {
      if (!ids.has(d) || d === p.id) continue;
      neighbours.get(p.id)?.push(d);
      neighbours.get(d)?.push(p.id);
    }
  }
  const taken = new Map([...fixed].filter(([id]) => ids.has(id)));
  const placed = new Map<string, Point>();
  const place = (id: string, wanted: Point) => {
    const spot = freePosition(taken.values(), wanted);
    taken.set(id, spot);
    placed.set(id, spot);
  };
  // Outwards from the placed phases: each pass places the phases next to one placed before.
  let waiting = phases.map((p) => p.id).filter((id) => !taken.has(id));
  for (let progress = true; progress && waiting.length > 0; ) {
    progress = false;
    waiting = waiting.filter((id) => {
      const own = auto.get(id);
      const anchors = (neighbours.get(id) ?? []).filter((n) => taken.has(n) && auto.has(n));
      if (!own || anchors.length === 0) return true;
      const shift = (axis: 'x' | 'y') => anchors.reduce((sum, a) => sum + (taken.get(a) as Point)[axis] - (auto.get(a) as Point)[axis], 0) / anchors.length;
      place(id, { x: own.x + shift('x'), y: own.y + shift('y') });
      progress = true;
      return false;
    });
  }
  for (const id of waiting) place(id, auto.get(id) ?? { x: 0, y: 0 });
  return placed;
}

export function tidyAll(auto: Positions, drawn: Iterable<Point>): Map<string, Point> {
  const from = topLeft(auto.values());
  const to = topLeft(drawn) ?? from;
  const dx = to && from ? to.x - from.x : 0;
  const dy = to && from ? to.y - from.y : 0;
  return new Map([...auto].map(([id, p]) => [id, { x: Math.round(p.x + dx), y: Math.round(p.y + dy) }]));
}

function topLeft(points: Iterable<Point>): Point | null {
  let corner: Point | null = null;
  for (const p of points) corner = corner ? { x: Math.min(corner.x, p.x), y: Math.min(corner.y, p.y) } : { ...p };
  return corner;
}
