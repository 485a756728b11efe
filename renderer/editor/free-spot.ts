/** Finding room for a node on the editor's canvas without covering another. */
import { LAYER_GAP, NODE_GAP, NODE_HEIGHT, NODE_WIDTH } from '../graph/layout-constants';

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
