import { describe, expect, it } from 'vitest';
import { layeredLayout } from '../graph/layered-layout';
import { NODE_HEIGHT, NODE_WIDTH, type LayoutInput } from '../graph/layout-constants';
import { placeUnplaced, tidyAll, type Point } from './tidy';

/** fetch → build → (test, lint) → ship */
const phases: LayoutInput[] = [
  { id: 'fetch', dependsOn: [] },
  { id: 'build', dependsOn: ['fetch'] },
  { id: 'test', dependsOn: ['build'] },
  { id: 'lint', dependsOn: ['build'] },
  { id: 'ship', dependsOn: ['test', 'lint'] },
];
const auto = layeredLayout(phases);

function overlapping(points: Point[]): boolean {
  return points.some((a, i) => points.some((b, j) => i < j && Math.abs(a.x - b.x) < NODE_WIDTH && Math.abs(a.y - b.y) < NODE_HEIGHT));
}

describe('placeUnplaced', () => {
  it('never moves a placed phase and places only the others', () => {
    const fixed = new Map([['fetch', { x: 1000, y: 500 }], ['build', { x: 1400, y: 200 }]]);
    const placed = placeUnplaced(phases, fixed, auto);
    expect([...placed.keys()].sort()).toEqual(['lint', 'ship', 'test']);
  });

  it('puts a new phase where the automatic layout has it relative to its placed neighbour', () => {
    // Everything placed by hand, 1000 px right of the automatic layout; `ship` is new.
    const fixed = new Map(phases.filter((p) => p.id !== 'ship').map((p) => [p.id, { x: auto.get(p.id)!.x + 1000, y: auto.get(p.id)!.y + 40 }]));
    const placed = placeUnplaced(phases, fixed, auto);
    expect(placed.get('ship')).toEqual({ x: auto.get('ship')!.x + 1000, y: auto.get('ship')!.y + 40 });
  });

  it('places a chain of new phases outwards from the placed one, keeping the layout\'s shape', () => {
    const fixed = new Map([['fetch', { x: -300, y: 900 }]]);
    const placed = placeUnplaced(phases, fixed, auto);
    const dx = -300 - auto.get('fetch')!.x;
    const dy = 900 - auto.get('fetch')!.y;
    for (const id of ['build', 'test', 'lint', 'ship']) expect(placed.get(id)).toEqual({ x: auto.get(id)!.x + dx, y: auto.get(id)!.y + dy });
  });

  it('never covers a placed phase: a new phase whose spot is taken moves to the nearest free one', () => {
    const fan: LayoutInput[] = [{ id: 'a', dependsOn: [] }, { id: 'b', dependsOn: ['a'] }, { id: 'c', dependsOn: ['a'] }, { id: 'other', dependsOn: [] }];
    const fanAuto = new Map([['a', { x: 0, y: 0 }], ['b', { x: 264, y: 0 }], ['c', { x: 264, y: 84 }], ['other', { x: 0, y: 84 }]]);
    // `other` was dragged to exactly where `b` would go.
    const fixed = new Map([['a', { x: 0, y: 0 }], ['other', { x: 264, y: 0 }]]);
    const placed = placeUnplaced(fan, fixed, fanAuto);
    expect(placed.get('b')).not.toEqual({ x: 264, y: 0 });
    expect(placed.get('b')!.x).toBe(264);
    expect(overlapping([...fixed.values(), ...placed.values()])).toBe(false);
  });

  it('keeps the automatic layout for phases with no placed neighbour, and a free spot for one it has not laid out', () => {
    const lone: LayoutInput[] = [...phases, { id: 'solo', dependsOn: [] }];
    const placed = placeUnplaced(lone, new Map(), new Map([...auto, ['solo', { x: 5000, y: 5000 }]]));
    expect(placed.get('solo')).toEqual({ x: 5000, y: 5000 });
    for (const p of phases) expect(placed.get(p.id)).toEqual({ x: Math.round(auto.get(p.id)!.x), y: Math.round(auto.get(p.id)!.y) });
    const unknown = placeUnplaced([{ id: 'a', dependsOn: [] }, { id: 'b', dependsOn: [] }], new Map([['a', { x: 0, y: 0 }]]), new Map());
    expect(unknown.get('b')).toEqual({ x: 0, y: NODE_HEIGHT + 24 });
  });
});

describe('tidyAll', () => {
  it('lays out every phase, moved to start at the graph\'s top-left corner', () => {
    const drawn = [{ x: 300, y: 120 }, { x: 900, y: 40 }, { x: 2000, y: 800 }];
    const all = tidyAll(auto, drawn);
    expect(all.size).toBe(phases.length);
    expect(Math.min(...[...all.values()].map((p) => p.x))).toBe(300);
    expect(Math.min(...[...all.values()].map((p) => p.y))).toBe(40);
    expect(overlapping([...all.values()])).toBe(false);
    const fetch = all.get('fetch')!;
    const ship = all.get('ship')!;
    expect(ship.x - fetch.x).toBe(auto.get('ship')!.x - auto.get('fetch')!.x);
  });

  it('keeps the layout\'s own place when nothing is drawn yet', () => {
    expect(tidyAll(auto, [])).toEqual(new Map([...auto].map(([id, p]) => [id, { x: Math.round(p.x), y: Math.round(p.y) }])));
  });
});
