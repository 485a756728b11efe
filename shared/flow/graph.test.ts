import { describe, expect, it } from 'vitest';
import { ancestorsOf, descendantsOf, findCycle, stableTopoSort, wouldCreateCycle, type GraphNode } from './graph';

/** `graph('b:a c:a,b d')` → b depends on a, c on a and b, d on nothing. */
function graph(spec: string): GraphNode[] {
  return spec.split(/\s+/).filter(Boolean).map((item) => {
    const [id, deps] = item.split(':') as [string, string | undefined];
    return { id, depends_on: deps ? deps.split(',') : [] };
  });
}

const ids = (nodes: readonly GraphNode[] | undefined) => nodes?.map((n) => n.id);

/** Every edge closes in the path: each node is a dependency of the next. */
function expectCycleOf(nodes: readonly GraphNode[], path: string[] | undefined): void {
  expect(path).toBeDefined();
  const p = path as string[];
  expect(p[0]).toBe(p[p.length - 1]);
  const deps = new Map(nodes.map((n) => [n.id, n.depends_on ?? []]));
  for (let i = 0; i + 1 < p.length; i++) expect(deps.get(p[i + 1] as string)).toContain(p[i]);
}

describe('stableTopoSort', () => {
  it('keeps declaration order when nothing constrains it', () => {
    expect(ids(stableTopoSort(graph('e c a d b')))).toEqual(['e', 'c', 'a', 'd', 'b']);
  });

  it('reverses a chain declared dependents-first', () => {
    expect(ids(stableTopoSort(graph('d:c c:b b:a a')))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('moves a phase only as far as its dependencies require', () => {
    expect(ids(stableTopoSort(graph('x report:late y late z')))).toEqual(['x', 'y', 'late', 'report', 'z']);
  });

  it('orders a diamond', () => {
    expect(ids(stableTopoSort(graph('join:left,right right:root left:root root')))).toEqual(['root', 'right', 'left', 'join']);
  });

  it('prefers the earliest declared ready node at every step', () => {
    // c is declared before b but needs b; a and d are free.
    expect(ids(stableTopoSort(graph('c:b a b d')))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('ignores unknown dependencies, self edges and repeated edges', () => {
    expect(ids(stableTopoSort(graph('b:a,a,ghost a:a')))).toEqual(['a', 'b']);
  });

  it('returns undefined on a cycle, even one not reachable from the first node', () => {
    expect(stableTopoSort(graph('a:b b:a'))).toBeUndefined();
    expect(stableTopoSort(graph('free x:z y:x z:y'))).toBeUndefined();
  });

  it('always puts dependencies first and is stable, on many random DAGs', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 200; round++) {
      const n = 1 + Math.floor(random() * 12);
      // Edges only from lower to higher rank, then declared in a shuffled order.
      const ranked = Array.from({ length: n }, (_, i) => ({ id: `n${i}`, depends_on: Array.from({ length: i }, (_, j) => `n${j}`).filter(() => random() < 0.3) }));
      const declared = [...ranked].sort(() => random() - 0.5);
      const sorted = stableTopoSort(declared) as GraphNode[];
      expect(sorted).toHaveLength(n);
      const position = new Map(sorted.map((node, i) => [node.id, i]));
      for (const node of sorted) for (const dep of node.depends_on ?? []) expect(position.get(dep)).toBeLessThan(position.get(node.id) as number);
      expect(ids(sorted)).toEqual(ids(referenceStableSort(declared)));
    }
  });
});

/** Quadratic reference: repeatedly take the first declared node whose dependencies are placed. */
function referenceStableSort(nodes: readonly GraphNode[]): GraphNode[] {
  const placed = new Set<string>();
  const out: GraphNode[] = [];
  while (out.length < nodes.length) {
    const next = nodes.find((n) => !placed.has(n.id) && (n.depends_on ?? []).every((d) => placed.has(d))) as GraphNode;
    placed.add(next.id);
    out.push(next);
  }
  return out;
}

describe('findCycle', () => {
  it('returns undefined for a DAG', () => {
    expect(findCycle(graph('a b:a c:a,b d:c'))).toBeUndefined();
  });

  it('returns the path from a dependency to its dependents, closing on the first node', () => {
    const nodes = graph('a:c b:a c:b');
    expect(findCycle(nodes)).toEqual(['a', 'b', 'c', 'a']);
    expectCycleOf(nodes, findCycle(nodes));
  });

  it('finds a two-node cycle and a self loop', () => {
    expect(findCycle(graph('a:b b:a'))).toEqual(['a', 'b', 'a']);
    expect(findCycle(graph('ok lonely:lonely'))).toEqual(['lonely', 'lonely']);
  });

  it('reports only the nodes on the cycle, not the path that led to it', () => {
    const nodes = graph('entry:x x:y y:z z:x');
    const cycle = findCycle(nodes) as string[];
    expect(cycle).not.toContain('entry');
    expect(new Set(cycle)).toEqual(new Set(['x', 'y', 'z']));
    expectCycleOf(nodes, cycle);
  });

  it('ignores dependencies on unknown nodes', () => {
    expect(findCycle(graph('a:ghost b:a'))).toBeUndefined();
  });
});

describe('wouldCreateCycle ("to" gains a dependency on "from")', () => {
  const chain = graph('a b:a c:b');

  it('refuses a self edge', () => {
    expect(wouldCreateCycle(chain, 'b', 'b')).toEqual(['b', 'b']);
  });

  it('refuses a back edge and returns the cycle it would close', () => {
    const cycle = wouldCreateCycle(chain, 'c', 'a');
    expect(cycle).toEqual(['a', 'b', 'c', 'a']);
    expectCycleOf([...chain.filter((n) => n.id !== 'a'), { id: 'a', depends_on: ['c'] }], cycle);
  });

  it('accepts a forward edge, a parallel edge and an existing edge', () => {
    expect(wouldCreateCycle(chain, 'a', 'c')).toBeUndefined();
    expect(wouldCreateCycle(graph('a b c'), 'a', 'b')).toBeUndefined();
    expect(wouldCreateCycle(chain, 'a', 'b')).toBeUndefined();
  });

  it('returns the shortest cycle through the new edge', () => {
    // d depends on a directly and via b, c: the new edge a ← d closes a → d → a.
    expect(wouldCreateCycle(graph('a b:a c:b d:c,a'), 'd', 'a')).toEqual(['a', 'd', 'a']);
  });

  it('judges only the new edge when the graph already has an unrelated cycle', () => {
    const broken = graph('x:y y:x a b');
    expect(wouldCreateCycle(broken, 'a', 'b')).toBeUndefined();
    expect(wouldCreateCycle(broken, 'x', 'a')).toBeUndefined();
  });

  it('does not change the nodes it is given', () => {
    const nodes = graph('a b:a');
    wouldCreateCycle(nodes, 'b', 'a');
    expect(nodes).toEqual(graph('a b:a'));
  });
});

describe('ancestorsOf / descendantsOf', () => {
  const nodes = graph('root left:root right:root join:left,right side tail:join');

  it('ancestorsOf: every transitive dependency, not the node itself', () => {
    expect(ancestorsOf(nodes, 'tail')).toEqual(new Set(['join', 'left', 'right', 'root']));
    expect(ancestorsOf(nodes, 'left')).toEqual(new Set(['root']));
    expect(ancestorsOf(nodes, 'root')).toEqual(new Set());
    expect(ancestorsOf(nodes, 'side')).toEqual(new Set());
  });

  it('descendantsOf: every transitive dependent, not the node itself', () => {
    expect(descendantsOf(nodes, 'root')).toEqual(new Set(['left', 'right', 'join', 'tail']));
    expect(descendantsOf(nodes, 'right')).toEqual(new Set(['join', 'tail']));
    expect(descendantsOf(nodes, 'tail')).toEqual(new Set());
    expect(descendantsOf(nodes, 'side')).toEqual(new Set());
  });

  it('an unknown id has no relatives', () => {
    expect(ancestorsOf(nodes, 'ghost')).toEqual(new Set());
    expect(descendantsOf(nodes, 'ghost')).toEqual(new Set());
  });

  it('terminates on cyclic input', () => {
    const cyclic = graph('a:c b:a c:b');
    expect(ancestorsOf(cyclic, 'a')).toEqual(new Set(['a', 'b', 'c']));
    expect(descendantsOf(cyclic, 'a')).toEqual(new Set(['a', 'b', 'c']));
  });
});

describe('long graphs (no recursion: a flow may have 10,000 phases in one chain)', () => {
  const N = 100_000;
  /** p0 ← p1 ← … ← p(N-1), declared dependents-first, the worst order for a depth-first search. */
  const chain = Array.from({ length: N }, (_, i) => ({ id: `p${N - 1 - i}`, depends_on: i === N - 1 ? [] : [`p${N - 2 - i}`] }));

  it('findCycle and stableTopoSort walk a 100,000-node chain', () => {
    expect(findCycle(chain)).toBeUndefined();
    const sorted = stableTopoSort(chain) as GraphNode[];
    expect(sorted[0]?.id).toBe('p0');
    expect(sorted[N - 1]?.id).toBe(`p${N - 1}`);
  });

  it('findCycle returns a 100,000-node cycle as a path', () => {
    const closed = chain.map((n) => (n.id === 'p0' ? { id: 'p0', depends_on: [`p${N - 1}`] } : n));
    const cycle = findCycle(closed) as string[];
    expect(cycle).toHaveLength(N + 1);
    expect(cycle.slice(0, 3)).toEqual([`p${N - 1}`, 'p0', 'p1']);
    const deps = new Map(closed.map((n) => [n.id, n.depends_on]));
    expect(cycle.every((id, i) => i === 0 || deps.get(id)?.includes(cycle[i - 1] as string))).toBe(true);
  });
});
