import { describe, expect, it } from 'vitest';
import { ancestorQueries, type AncestorQuery } from './ancestry';
import { ancestorsOf, type GraphNode } from './graph';

const diamond: GraphNode[] = [
  { id: 'tail', depends_on: ['join'] },
  { id: 'join', depends_on: ['left', 'right'] },
  { id: 'left', depends_on: ['root'] },
  { id: 'right', depends_on: ['root', 'ghost'] },
  { id: 'root' },
  { id: 'side' },
];

describe('ancestorQueries', () => {
  it('answers direct, transitive and negative questions, in order', () => {
    const queries: AncestorQuery[] = [
      { phase: 'tail', ancestor: 'root' },
      { phase: 'join', ancestor: 'left' },
      { phase: 'left', ancestor: 'right' },
      { phase: 'root', ancestor: 'tail' },
      { phase: 'tail', ancestor: 'side' },
      { phase: 'tail', ancestor: 'tail' },
      { phase: 'right', ancestor: 'ghost' },
      { phase: 'nobody', ancestor: 'root' },
    ];
    expect(ancestorQueries(diamond, queries)).toEqual([true, true, false, false, false, false, false, false]);
  });

  it('returns undefined for a cyclic graph', () => {
    expect(ancestorQueries([{ id: 'a', depends_on: ['b'] }, { id: 'b', depends_on: ['a'] }], [{ phase: 'a', ancestor: 'b' }])).toBeUndefined();
  });

  it('agrees with ancestorsOf on random DAGs, with more distinct ancestors asked about than one pass holds', () => {
    let seed = 11;
    const random = (n: number) => Math.floor(((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * n);
    const n = 3000;
    const nodes: GraphNode[] = Array.from({ length: n }, (_, i) => ({
      id: `p${i}`,
      depends_on: i === 0 ? [] : [`p${i - 1 - random(Math.min(i, 4))}`, ...(random(2) ? [`p${random(i)}`] : [])],
    }));
    nodes.reverse(); // declared dependents-first
    const queries: AncestorQuery[] = Array.from({ length: 6000 }, (_, q) => ({ phase: `p${random(n)}`, ancestor: `p${q < 3000 ? q : random(n)}` }));
    const answers = ancestorQueries(nodes, queries) as boolean[];
    const expected = queries.map((q) => ancestorsOf(nodes, q.phase).has(q.ancestor));
    expect(answers).toEqual(expected);
    expect(expected.filter(Boolean).length).toBeGreaterThan(1000); // both answers are well represented
    expect(expected.filter((a) => !a).length).toBeGreaterThan(1000);
  });
});
