import { describe, expect, it } from 'vitest';
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH, rankLayout, structureKey } from './layout';

const diamond = [
  { id: 'a', dependsOn: [] },
  { id: 'b', dependsOn: ['a'] },
  { id: 'c', dependsOn: ['a'] },
  { id: 'd', dependsOn: ['b', 'c'] },
];

function overlaps(p: { x: number; y: number }, q: { x: number; y: number }): boolean {
  return Math.abs(p.x - q.x) < NODE_WIDTH && Math.abs(p.y - q.y) < NODE_HEIGHT;
}

describe('layoutGraph (elk layered)', () => {
  it('places dependencies left of their dependents, without overlaps', async () => {
    const pos = await layoutGraph(diamond);
    const at = (id: string) => pos.get(id)!;
    expect(pos.size).toBe(4);
    expect(at('a').x).toBeLessThan(at('b').x);
    expect(at('b').x).toBe(at('c').x);
    expect(at('c').x).toBeLessThan(at('d').x);
    expect(at('b').y).not.toBe(at('c').y);
    const all = [...pos.values()];
    for (const [i, p] of all.entries()) for (const q of all.slice(i + 1)) expect(overlaps(p, q)).toBe(false);
  });

  it('is a pure function of the structure', async () => {
    expect([...(await layoutGraph(diamond))]).toEqual([...(await layoutGraph(diamond.map((p) => ({ ...p }))))]);
  });

  it('ignores dependencies on unknown phases and handles an empty graph', async () => {
    expect((await layoutGraph([{ id: 'x', dependsOn: ['ghost'] }])).size).toBe(1);
    expect((await layoutGraph([])).size).toBe(0);
  });
});

describe('rankLayout', () => {
  it('puts each phase one column right of its deepest dependency', () => {
    const pos = rankLayout(diamond);
    expect(pos.get('a')!.x).toBe(0);
    expect(pos.get('b')!.x).toBe(pos.get('c')!.x);
    expect(pos.get('d')!.x).toBeGreaterThan(pos.get('b')!.x);
    expect(pos.get('b')!.y).not.toBe(pos.get('c')!.y);
  });
});

describe('structureKey', () => {
  it('changes with edges, not with anything else', () => {
    expect(structureKey(diamond)).toBe(structureKey(diamond.map((p) => ({ ...p }))));
    expect(structureKey(diamond)).not.toBe(structureKey([...diamond.slice(0, 3), { id: 'd', dependsOn: ['b'] }]));
  });
});
