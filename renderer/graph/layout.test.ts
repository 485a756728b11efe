import { describe, expect, it } from 'vitest';
import { layeredLayout } from './layered-layout';
import { ELK_MAX_PHASES, layoutGraph, NODE_HEIGHT, NODE_WIDTH, type LayoutInput, type Positions } from './layout';

const diamond: LayoutInput[] = [
  { id: 'a', dependsOn: [] },
  { id: 'b', dependsOn: ['a'] },
  { id: 'c', dependsOn: ['a'] },
  { id: 'd', dependsOn: ['b', 'c'] },
];

/** Stages of 10 phases, each depending on one or two phases of the stage before. */
function stages(count: number): LayoutInput[] {
  return Array.from({ length: count }, (_, i) => {
    const prev = Math.floor(i / 10) * 10 - 10;
    return { id: `p${i}`, dependsOn: prev < 0 ? [] : [...new Set([`p${prev + (i % 10)}`, `p${prev + ((i * 7 + 3) % 10)}`])] };
  });
}

function expectWellFormed(phases: LayoutInput[], pos: Positions): void {
  expect(pos.size).toBe(phases.length);
  for (const p of phases) for (const d of p.dependsOn) expect(pos.get(d)!.x + NODE_WIDTH).toBeLessThan(pos.get(p.id)!.x);
  const all = [...pos.values()].sort((a, b) => a.x - b.x || a.y - b.y);
  for (let i = 1; i < all.length; i++) {
    const [p, q] = [all[i - 1]!, all[i]!];
    if (p.x === q.x) expect(q.y - p.y).toBeGreaterThanOrEqual(NODE_HEIGHT);
  }
}

describe('layoutGraph (elk layered)', () => {
  it('places dependencies left of their dependents, without overlaps', async () => {
    const pos = await layoutGraph(diamond);
    expectWellFormed(diamond, pos);
    expect(pos.get('b')!.x).toBe(pos.get('c')!.x);
    expect(pos.get('b')!.y).not.toBe(pos.get('c')!.y);
  });

  it('is a pure function of the structure', async () => {
    expect([...(await layoutGraph(diamond))]).toEqual([...(await layoutGraph(diamond.map((p) => ({ ...p }))))]);
  });

  it('ignores dependencies on unknown phases and handles an empty graph', async () => {
    expect((await layoutGraph([{ id: 'x', dependsOn: ['ghost'] }])).size).toBe(1);
    expect((await layoutGraph([])).size).toBe(0);
  });

  it('hands graphs above ELK_MAX_PHASES to the fast layered layout', async () => {
    const big = stages(ELK_MAX_PHASES + 10);
    expect([...(await layoutGraph(big))]).toEqual([...layeredLayout(big)]);
  });
});

describe('layeredLayout', () => {
  it('lays out the diamond in three columns', () => {
    const pos = layeredLayout(diamond);
    expectWellFormed(diamond, pos);
    expect(new Set([...pos.values()].map((p) => p.x)).size).toBe(3);
    expect(pos.get('b')!.y).not.toBe(pos.get('c')!.y);
  });

  it('lays out 500 phases without overlaps, in milliseconds', () => {
    const phases = stages(500);
    const t0 = performance.now();
    const pos = layeredLayout(phases);
    const ms = performance.now() - t0;
    expectWellFormed(phases, pos);
    expect(new Set([...pos.values()].map((p) => p.x)).size).toBe(50);
    expect(ms).toBeLessThan(200);
  });

  it('survives a cycle and unknown dependencies', () => {
    const pos = layeredLayout([{ id: 'a', dependsOn: ['b'] }, { id: 'b', dependsOn: ['a', 'ghost'] }]);
    expect(pos.size).toBe(2);
  });
});
