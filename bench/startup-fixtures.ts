/**
 * Databases and flows for the start-up benchmark (startup.ts): many runs, one run of
 * many phases, and a failed run whose resume starts with a command that writes the time.
 */
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { PlannedPhase, RunFact } from '../shared/events';
import { SqliteStore } from '../electron/store/sqlite-store';
import type { NewRun, Owner } from '../electron/store/types';

const OWNER: Owner = { id: 'bench', pid: process.pid, host: hostname() };

function newRun(id: string, phases: PlannedPhase[]): NewRun {
  return { id, flowName: 'bench', flowFile: null, flowSource: 'name: bench\n', inputs: {}, start: { flowName: 'bench', phases, reused: [], frontier: phases.slice(0, 1).map((p) => p.id) } };
}

const planOf = (n: number): PlannedPhase[] => Array.from({ length: n }, (_, i) => ({ id: `p${i}`, kind: 'command', dependsOn: i === 0 ? [] : [`p${i - 1}`], defHash: `h${i}` }));

/** Every phase started and succeeded with a one-line output, then the run finished. */
function finishedRun(phases: PlannedPhase[]): RunFact[] {
  return [
    ...phases.flatMap((p): RunFact[] => [
      { type: 'phase.started', phaseId: p.id, attempt: 1, runAttempt: 1, defHash: p.defHash },
      { type: 'phase.finished', phaseId: p.id, attempt: 1, status: 'succeeded', durationMs: 3, output: `output of ${p.id}` },
    ]),
    { type: 'run.finished', attempt: 1, status: 'succeeded' },
  ];
}

/** Runs written at once: the writer thread commits what arrives together in one transaction. */
const BATCH = 250;

/**
 * A database at `path` with `runs` finished runs of `phases` phases each; returns the id
 * of the newest. Written with synchronous=OFF: only reading it is measured.
 */
export async function databaseOf(path: string, runs: number, phases: number): Promise<string> {
  const store = await SqliteStore.open(path);
  try {
    await store.pragma('synchronous = OFF');
    const plan = planOf(phases);
    const idOf = (i: number) => `run${String(i).padStart(6, '0')}`;
    for (let from = 0; from < runs; from += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, runs - from) }, (_, k) => from + k);
      await Promise.all(batch.map((i) => store.createRun(newRun(idOf(i), plan), OWNER, 1_000_000 + i)));
      await Promise.all(batch.map((i) => store.commit(idOf(i), OWNER, finishedRun(plan), 1_000_000 + i)));
    }
    return idOf(runs - 1);
  } finally {
    await store.close();
  }
}

/**
 * A flow whose second phase, the frontier of every resume, writes the wall clock in
 * nanoseconds to `stampFile` and fails, so the run can be resumed again and again.
 */
export function frontierFlow(dir: string, stampCommand: string): string {
  const file = join(dir, 'resume.yaml');
  writeFileSync(file, `name: resume-bench\nphases:\n  - { id: prep, kind: command, run: "true" }\n  - { id: frontier, kind: command, depends_on: [prep], run: ${JSON.stringify(`${stampCommand}; exit 1`)} }\n`);
  return file;
}
