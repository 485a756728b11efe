/**
 * "Is A an ancestor of P?" for many pairs at once: the loader asks it once per
 * `{{phases.A.output}}` in a template. Asking `ancestorsOf` per phase costs O(n) each,
 * O(n²) for a flow (a 20,000-phase flow took a minute). Here the graph is walked in
 * topological order carrying, for every phase, a bitset of which asked-about ancestors
 * it has: O(n + e) for each 1,024 distinct ancestors asked about, with 128 bytes per
 * phase of memory (2.5 MB at 20,000 phases), whatever the number of questions.
 */
import { stableTopoSort, type GraphNode } from './graph';

export interface AncestorQuery {
  phase: string;
  ancestor: string;
}

/** Distinct ancestors answered per walk: 32 words of 32 bits per phase. */
const WIDTH = 1024;

/**
 * One answer per query, in order. A node is not its own ancestor; unknown ids are
 * nobody's ancestor. Ids must be unique. Undefined when the graph has a cycle.
 */
export function ancestorQueries(nodes: readonly GraphNode[], queries: readonly AncestorQuery[]): boolean[] | undefined {
  const sorted = stableTopoSort(nodes);
  if (!sorted) return undefined;
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const deps = nodes.map((n, i) => [...new Set(n.depends_on ?? [])].map((d) => index.get(d)).filter((d): d is number => d !== undefined && d !== i));
  const order = sorted.map((n) => index.get(n.id) as number);

  const answers = queries.map(() => false);
  // Each ancestor that needs the walk gets a column; direct dependencies are answered at once.
  const column = new Int32Array(nodes.length).fill(-1);
  const walked: { query: number; phase: number; column: number }[] = [];
  let columns = 0;
  queries.forEach((q, query) => {
    const phase = index.get(q.phase);
    const ancestor = index.get(q.ancestor);
    if (phase === undefined || ancestor === undefined || phase === ancestor) return;
    if ((deps[phase] as number[]).includes(ancestor)) answers[query] = true;
    else {
      if (column[ancestor] === -1) column[ancestor] = columns++;
      walked.push({ query, phase, column: column[ancestor] as number });
    }
  });

  for (let first = 0; first < columns; first += WIDTH) {
    const words = Math.ceil(Math.min(WIDTH, columns - first) / 32);
    const reach = new Uint32Array(nodes.length * words);
    for (const node of order) {
      const row = node * words;
      for (const dep of deps[node] as number[]) {
        const from = dep * words;
        for (let w = 0; w < words; w++) reach[row + w] = (reach[row + w] as number) | (reach[from + w] as number);
        const c = (column[dep] as number) - first;
        if (c >= 0 && c < WIDTH) reach[row + (c >>> 5)] = (reach[row + (c >>> 5)] as number) | (1 << (c & 31));
      }
    }
    for (const w of walked) {
      const c = w.column - first;
      if (c >= 0 && c < WIDTH) answers[w.query] = ((reach[w.phase * words + (c >>> 5)] as number) & (1 << (c & 31))) !== 0;
    }
  }
  return answers;
}
