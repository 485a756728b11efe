import { Position } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { edgeRoute, type Box } from './edge-route';

const box = (x: number, y: number): Box => ({ x, y, width: 200, height: 60 });
const from = box(0, 0);

/** Whether the segment between the two ends passes through the inside of `b` (a straight-line check of the route). */
function crosses(route: ReturnType<typeof edgeRoute>, b: Box): boolean {
  for (let t = 0.05; t < 1; t += 0.05) {
    const x = route.sourceX + (route.targetX - route.sourceX) * t;
    const y = route.sourceY + (route.targetY - route.sourceY) * t;
    if (x > b.x + 1 && x < b.x + b.width - 1 && y > b.y + 1 && y < b.y + b.height - 1) return true;
  }
  return false;
}

describe('edgeRoute', () => {
  it('goes right to left when the dependent is to the right, as the run graph draws it', () => {
    const to = box(300, 100);
    expect(edgeRoute(from, to)).toEqual({ sourceX: 200, sourceY: 30, sourcePosition: Position.Right, targetX: 300, targetY: 130, targetPosition: Position.Left });
  });

  it('goes from the left side to the right side when the dependent is to the left', () => {
    const route = edgeRoute(box(600, 0), box(0, 200));
    expect([route.sourcePosition, route.targetPosition]).toEqual([Position.Left, Position.Right]);
    expect([route.sourceX, route.targetX]).toEqual([600, 200]);
  });

  it('goes bottom to top for a dependent below in the same column, top to bottom for one above', () => {
    const below = edgeRoute(from, box(20, 120));
    expect(below).toMatchObject({ sourceX: 100, sourceY: 60, sourcePosition: Position.Bottom, targetX: 120, targetY: 120, targetPosition: Position.Top });
    const above = edgeRoute(from, box(-50, -200));
    expect(above).toMatchObject({ sourceY: 0, sourcePosition: Position.Top, targetY: -140, targetPosition: Position.Bottom });
  });

  it('never runs through either node', () => {
    for (const to of [box(300, 0), box(-400, 50), box(10, 150), box(0, -150), box(150, 90), box(-150, -90)]) {
      const route = edgeRoute(from, to);
      expect(crosses(route, from) || crosses(route, to)).toBe(false);
    }
  });
});
