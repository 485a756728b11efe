/** Prints section 4 of `npm run bench`: validation scaling and hostile input (bench/validation.ts). */
import { fmt, printTable, withGoal } from './util';
import { hostileInputs, validationScaling } from './validation';

export async function printValidation(sizes: readonly number[], reps: number): Promise<void> {
  const rows = await validationScaling(sizes, reps);
  const floorOf = (shape: string) => rows.find((r) => r.shape === shape);
  printTable(
    `4a. Validation cost per phase against flow size (median of ${reps} after 1 warm-up)`,
    [
      { header: 'shape', align: 'left' }, { header: 'phases' }, { header: 'KiB' }, { header: 'load µs/phase' }, { header: 'load ratio (goal ≤ 2)' },
      { header: 'graph µs/phase' }, { header: 'graph ratio' },
    ],
    rows.map((r) => {
      const floor = floorOf(r.shape);
      const load = r.loadUsPerPhase;
      return [
        r.shape, r.phases.toLocaleString('en-US'), fmt(r.bytes / 1024, 0),
        load === undefined ? 'over the cap' : fmt(load), load === undefined || floor?.loadUsPerPhase === undefined ? '—' : withGoal(load / floor.loadUsPerPhase, 2),
        fmt(r.graphUsPerPhase, 2), floor ? fmt(r.graphUsPerPhase / floor.graphUsPerPhase, 2) : '—',
      ];
    }),
    [
      `ratio = µs per phase / µs per phase of the same shape at ${rows[0]?.phases.toLocaleString('en-US')} phases: linear validation stays near 1.`,
      'load = parseFlow end to end (YAML, schema, whole-flow checks); a flow over the 1 MiB cap is refused instead, in well under a millisecond.',
      "graph = the whole-flow graph work alone: cycle search, stable topological sort, and every template's ancestor question.",
      '        Ancestor questions cost O(edges) per 1,024 distinct ancestors named (ancestry.ts): linear when templates name few',
      '        phases, O(edges × phases / 1,024) when every phase names a different one (the random DAG: its ratio grows, slowly).',
    ],
  );

  const hostile = await hostileInputs(reps);
  printTable(
    `4b. Hostile input near the 1 MiB cap (median of ${reps})`,
    [{ header: 'input', align: 'left' }, { header: 'KiB' }, { header: 'ms' }, { header: '× floor per byte' }, { header: 'outcome', align: 'left' }],
    hostile.rows.map((r) => [r.input, fmt(r.bytes / 1024, 0), fmt(r.ms), fmt(r.usPerByte / hostile.floorUsPerByte, 2), r.outcome]),
    ['floor = µs per byte of parseFlow on the valid 10,000-phase random DAG, measured in this run.'],
  );
}
