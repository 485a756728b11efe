import { MinHeap } from '../min-heap';

/**
 * Pure DAG helpers over phase lists. The loader, the scheduler, resume and the editor's
 * `isValidConnection` all use these, so "is this a cycle?" has one answer everywhere.
 */

export interface GraphNode {
  id: string;
  depends_on?: readonly string[];
}

/**
 * Stable topological sort (Kahn's algorithm, always taking the ready node declared
 * first): phases with no ordering constraint keep their declaration order. Unknown
 * dependencies are ignored; returns undefined when the graph has a cycle.
 */
export function stableTopoSort<T extends GraphNode>(nodes: readonly T[]): T[] | undefined {
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const indegree = nodes.map(() => 0);
  const dependents: number[][] = nodes.map(() => []);
  nodes.forEach((node, i) => {
    for (const dep of new Set(node.depends_on ?? [])) {
      const d = index.get(dep);
      if (d === undefined || d === i) continue;
      indegree[i] = (indegree[i] as number) + 1;
      (dependents[d] as number[]).push(i);
    }
  });
  const ready = new MinHeap();
  indegree.forEach((deg, i) => deg === 0 && ready.push(i));
  const out: T[] = [];
  for (let i = ready.pop(); i !== undefined; i = ready.pop()) {
    out.push(nodes[i] as T);
    for (const j of dependents[i] as number[]) {
      indegree[j] = (indegree[j] as number) - 1;
      if (indegree[j] === 0) ready.push(j);
    }
  }
  return out.length === nodes.length ? out : undefined;
}

/**
 * Finds one cycle and returns its path, first node repeated at the end (a → b → a).
 * Depth-first, with an explicit stack: a chain of 100,000 phases must not overflow the
 * call stack.
 */
export function findCycle(nodes: readonly GraphNode[]): string[] | undefined {
  const deps = new Map(nodes.map((n) => [n.id, n.depends_on ?? []]));
  const state = new Map<string, 'visiting' | 'done'>();
  for (const root of nodes) {
    if (state.has(root.id)) continue;
    // The path being explored, each node with the index of the next dependency to try.
    const path: string[] = [root.id];
    const next: number[] = [0];
    state.set(root.id, 'visiting');
    while (path.length > 0) {
      const top = path.length - 1;
      const id = path[top] as string;
      const list = deps.get(id) ?? [];
      const i = next[top] as number;
      if (i === list.length) {
        state.set(id, 'done');
        path.pop();
        next.pop();
        continue;
      }
      next[top] = i + 1;
      const dep = list[i] as string;
      if (!deps.has(dep)) continue;
      const s = state.get(dep);
      if (s === 'visiting') return [...path.slice(path.lastIndexOf(dep)), dep].reverse();
      if (s === undefined) {
        state.set(dep, 'visiting');
        path.push(dep);
        next.push(0);
      }
    }
  }
  return undefined;
}

/**
 * Would adding "`to` depends on `from`" close a cycle? (The editor's connection check.)
 * Returns the shortest such cycle, `to → … → from → to` (each node feeds the next), or
 * undefined. Only cycles through the new edge count: a graph that is already cyclic
 * elsewhere still accepts an edge that is fine.
 */
export function wouldCreateCycle(nodes: readonly GraphNode[], from: string, to: string): string[] | undefined {
  if (from === to) return [to, to];
  const deps = new Map(nodes.map((n) => [n.id, n.depends_on ?? []]));
  // Breadth-first through the ancestors of `from`; reaching `to` means `to` already feeds `from`.
  const reachedFrom = new Map<string, string>([[from, from]]);
  const pending = [from];
  for (let i = 0; i < pending.length; i++) {
    const id = pending[i] as string;
    for (const dep of deps.get(id) ?? []) {
      if (reachedFrom.has(dep)) continue;
      reachedFrom.set(dep, id);
      if (dep === to) {
        const path = [to];
        for (let cur = to; cur !== from; ) path.push((cur = reachedFrom.get(cur) as string));
        return [...path, to];
      }
      pending.push(dep);
    }
  }
  return undefined;
}

/** Every transitive dependency of `id`. */
export function ancestorsOf(nodes: readonly GraphNode[], id: string): Set<string> {
  const deps = new Map(nodes.map((n) => [n.id, n.depends_on ?? []]));
  const seen = new Set<string>();
  const pending = [...(deps.get(id) ?? [])];
  while (pending.length > 0) {
    const next = pending.pop() as string;
    if (seen.has(next)) continue;
    seen.add(next);
    pending.push(...(deps.get(next) ?? []));
  }
  return seen;
}

/** Every transitive dependent of `id`. */
export function descendantsOf(nodes: readonly GraphNode[], id: string): Set<string> {
  const seen = new Set<string>();
  let frontier = new Set([id]);
  while (frontier.size > 0) {
    const next = new Set<string>();
    for (const node of nodes) {
      if (seen.has(node.id)) continue;
      if ((node.depends_on ?? []).some((d) => frontier.has(d))) {
        seen.add(node.id);
        next.add(node.id);
      }
    }
    frontier = next;
  }
  return seen;
}
