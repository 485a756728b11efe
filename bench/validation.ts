/**
 * Validation cost against flow size, and the cost of hostile input. Each figure is a
 * ratio to a floor measured in the same run: µs per phase at 1,000 phases for
 * scaling (linear validation keeps the ratio near 1), and the µs per byte of a valid
 * flow for hostile input (so "3×" means "three times the cost of a flow that size").
 */
import { ancestorQueries, type AncestorQuery } from '../shared/flow/ancestry';
import { findCycle, stableTopoSort, type GraphNode } from '../shared/flow/graph';
import { MAX_FLOW_BYTES } from '../shared/flow/limits';
import { parseFlow } from '../shared/flow/load';
import { referencedPhases } from '../shared/flow/template';
import { medianBy, repeat, usSince } from './util';

export type ValidationShape = 'chain' | 'fan-out' | 'random DAG';

export interface ScalingRow {
  shape: ValidationShape;
  phases: number;
  bytes: number;
  /** parseFlow end to end (YAML, schema, semantics); undefined when the text is over the cap. */
  loadUsPerPhase: number | undefined;
  /** The whole-graph checks alone: cycle search, topological sort, every template's ancestor question. */
  graphUsPerPhase: number;
}

export interface HostileRow {
  input: string;
  bytes: number;
  ms: number;
  usPerByte: number;
  outcome: string;
}

/**
 * chain: each phase depends on the previous one; fan-out: every phase on the first;
 * random DAG: on a near and a random earlier phase. Every phase but the first names one
 * ancestor in a template, found by walking up to 20 dependencies.
 */
export function scalingFlow(shape: ValidationShape, n: number): { yaml: string; nodes: GraphNode[] } {
  let seed = 42;
  const random = (k: number) => Math.floor(((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * k);
  const depsOf: number[][] = [];
  const lines = ['phases:'];
  for (let i = 0; i < n; i++) {
    const deps = i === 0 ? [] : shape === 'chain' ? [i - 1] : shape === 'fan-out' ? [0] : [...new Set([i - 1 - random(Math.min(i, 5)), random(i)])];
    depsOf.push(deps);
    let ancestor = i;
    for (let steps = 1 + random(20); steps > 0 && (depsOf[ancestor] as number[]).length > 0; steps--) ancestor = (depsOf[ancestor] as number[])[0] as number;
    const run = ancestor === i ? 'x' : `"{{phases.p${ancestor}.output}}"`;
    lines.push(`- {id: p${i}, kind: command, run: ${run}${deps.length ? `, depends_on: [${deps.map((d) => `p${d}`).join(', ')}]` : ''}}`);
  }
  return { yaml: `${lines.join('\n')}\n`, nodes: depsOf.map((deps, i) => ({ id: `p${i}`, depends_on: deps.map((d) => `p${d}`) })) };
}

export async function validationScaling(sizes: readonly number[], reps: number): Promise<ScalingRow[]> {
  const rows: ScalingRow[] = [];
  for (const shape of ['chain', 'fan-out', 'random DAG'] as const) {
    for (const n of sizes) {
      const { yaml, nodes } = scalingFlow(shape, n);
      const bytes = Buffer.byteLength(yaml);
      const queries = questionsOf(yaml, nodes);
      const graph = await repeat(3, reps, () => {
        const t = performance.now();
        findCycle(nodes);
        stableTopoSort(nodes);
        ancestorQueries(nodes, queries);
        return usSince(t) / n;
      });
      const load = bytes > MAX_FLOW_BYTES ? undefined : await repeat(1, reps, () => {
        const t = performance.now();
        const result = parseFlow(yaml);
        if (!result.ok) throw new Error(`bench flow invalid: ${result.problems[0]?.message}`);
        return usSince(t) / n;
      });
      rows.push({ shape, phases: n, bytes, loadUsPerPhase: load ? medianBy(load, (x) => x) : undefined, graphUsPerPhase: medianBy(graph, (x) => x) });
    }
  }
  return rows;
}

/** The ancestor questions the loader asks: one per template reference. */
function questionsOf(yaml: string, nodes: readonly GraphNode[]): AncestorQuery[] {
  const lines = yaml.split('\n').slice(1);
  return nodes.flatMap((node, i) => referencedPhases(lines[i] ?? '').map((ancestor) => ({ phase: node.id, ancestor })));
}

/** Inputs built to be expensive, each near the size cap, against a valid flow of that size. */
export async function hostileInputs(reps: number): Promise<{ floorUsPerByte: number; rows: HostileRow[] }> {
  const valid = scalingFlow('random DAG', 10_000).yaml;
  const floor = medianBy(await repeat(1, reps, () => timeParse(valid).ms), (x) => x) * 1000 / valid.length;
  const size = MAX_FLOW_BYTES - 64;
  const inputs: [string, string][] = [
    ['valid 10,000-phase flow (the floor)', valid],
    ['1 MiB of "[" (nesting)', `phases: ${'['.repeat(size)}`],
    ['1 MiB of "- " (block nesting)', `phases:\n${'- '.repeat(size / 2)}x\n`],
    ['one list of 1 MiB', `phases: [${'a, '.repeat(size / 3)}]\n`],
    ['one mapping of 90,000 bad values', `phases: [{id: a, kind: command, run: x}]\nlayout:\n${Array.from({ length: 90_000 }, (_, i) => ` k${i}: 0`).join('\n').slice(0, size - 60)}\n`],
    ['90,000 keys, one written twice', `layout:\n k1: 0\n${Array.from({ length: 90_000 }, (_, i) => ` k${i}: 0`).join('\n').slice(0, size - 20)}\n`],
    ['45,000 anchors and aliases', `x:\n${Array.from({ length: 45_000 }, (_, i) => `- &a${i} v\n- *a${i}`).join('\n').slice(0, size)}\n`],
    ['1 MiB of NUL bytes', '\0'.repeat(size)],
    ['5 MiB of text (over the cap)', 'x'.repeat(5 * MAX_FLOW_BYTES)],
  ];
  const rows: HostileRow[] = [];
  for (const [input, text] of inputs) {
    const runs = await repeat(0, reps, () => timeParse(text));
    const ms = medianBy(runs, (r) => r.ms);
    rows.push({ input, bytes: text.length, ms, usPerByte: (ms * 1000) / text.length, outcome: runs[0]?.outcome ?? '' });
  }
  return { floorUsPerByte: floor, rows };
}

function timeParse(text: string): { ms: number; outcome: string } {
  const t = performance.now();
  const result = parseFlow(text);
  const ms = performance.now() - t;
  return { ms, outcome: result.ok ? 'valid' : (result.problems[0]?.message ?? '').slice(0, 60) };
}
