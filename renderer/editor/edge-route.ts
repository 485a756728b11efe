/**
 * Which sides of two nodes an editor edge joins. Dragging from a right handle to a left
 * handle says "depends on", not where the line must go: a bezier from the right side of
 * a node to the left side of one beside or behind it loops back under both. So an edge
 * leaves the side of its dependency that faces its dependent and enters the facing side:
 * right to left when the dependent is to the right (the usual direction), left to right
 * when it is to the left, bottom to top or top to bottom when they share a column.
 */
import { Position } from '@xyflow/react';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface EdgeRoute {
  sourceX: number;
  sourceY: number;
  sourcePosition: Position;
  targetX: number;
  targetY: number;
  targetPosition: Position;
}

/** Horizontal room two nodes need between them for a side-to-side edge. */
const MIN_GAP = 24;

export function edgeRoute(source: Box, target: Box): EdgeRoute {
  const side = (box: Box, position: Position) => {
    switch (position) {
      case Position.Left:
        return { x: box.x, y: box.y + box.height / 2 };
      case Position.Right:
        return { x: box.x + box.width, y: box.y + box.height / 2 };
      case Position.Top:
        return { x: box.x + box.width / 2, y: box.y };
      case Position.Bottom:
        return { x: box.x + box.width / 2, y: box.y + box.height };
    }
  };
  const [from, to] = sides(source, target);
  const s = side(source, from);
  const t = side(target, to);
  return { sourceX: s.x, sourceY: s.y, sourcePosition: from, targetX: t.x, targetY: t.y, targetPosition: to };
}

function sides(source: Box, target: Box): [Position, Position] {
  if (target.x >= source.x + source.width + MIN_GAP) return [Position.Right, Position.Left];
  if (target.x + target.width + MIN_GAP <= source.x) return [Position.Left, Position.Right];
  if (target.y >= source.y + source.height) return [Position.Bottom, Position.Top];
  if (target.y + target.height <= source.y) return [Position.Top, Position.Bottom];
  return [Position.Right, Position.Left];
}
