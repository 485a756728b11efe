/**
 * Synthetic flows for the benchmarks, written as YAML and loaded through the normal
 * loader, so validation and the stable topological sort are the real ones.
 */
import { join } from 'node:path';
import { flowFromSource, type LoadedFlow } from '../electron/engine/flow-file';
import type { CheckpointStore } from '../electron/store/types';

export type Shape = 'chain' | 'fan-out';

export interface FlowCase {
  shape: Shape;
  phases: number;
  maxParallel: number;
}

/** chain: each phase depends on the previous one. fan-out: one root, every other phase depends on it. */
export function flowYaml(c: FlowCase, run = 'true'): string {
  const id = (i: number) => `p${String(i).padStart(4, '0')}`;
  const lines = [`name: bench-${c.shape}-${c.phases}`, `max_parallel: ${c.maxParallel}`, 'phases:'];
  for (let i = 0; i < c.phases; i++) {
    lines.push(`  - id: ${id(i)}`, '    kind: command', `    run: "${run}"`);
    if (i > 0) lines.push(`    depends_on: [${c.shape === 'chain' ? id(i - 1) : id(0)}]`);
  }
  return `${lines.join('\n')}\n`;
}

/** Loads the case's flow as if from `dir/flow.yaml` (the file itself is never read). */
export function loadCase(c: FlowCase, dir: string, run?: string): LoadedFlow {
  return flowFromSource(flowYaml(c, run), join(dir, 'flow.yaml'));
}

/** Wraps a store so the benchmark can count `commit` calls (durable transactions). */
export function countCommits(store: CheckpointStore): { store: CheckpointStore; commits: () => number } {
  let commits = 0;
  const counted = new Proxy(store, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      if (key === 'commit') {
        return (...args: Parameters<CheckpointStore['commit']>) => {
          commits += 1;
          return target.commit(...args);
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
  return { store: counted, commits: () => commits };
}
