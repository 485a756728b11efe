/**
 * "Run again from a phase" in the store (SPEC §4): a new run whose first attempt reuses
 * phases of the run it came from. `createRun` copies those phases' saved results into
 * the new run in the same transaction that creates it (so a later resume of the new run
 * reuses them like its own), and its `run.started` carries their outputs as a resume's
 * does. One set of rules for the three stores.
 */
import type { RunStartedEvent } from '../../shared/events';
import { invalidFact } from './rules';
import type { NewRun } from './types';

/** The phases to copy from `init.rerunOf`; undefined when none. A run that reuses phases must name where from. */
export function rerunReuse(init: NewRun): string[] | undefined {
  if (init.start.reused.length === 0) return undefined;
  if (!init.rerunOf) throw invalidFact(init.id, 'a new run reuses phases only when it is a rerun of another run (rerunOf)');
  return [...init.start.reused];
}

/** The `outputs` of the new run's `run.started`; refuses (rolling the run back) when a reused phase had no saved result to copy. */
export function rerunOutputs(init: NewRun, copied: ReadonlyMap<string, string>): Pick<RunStartedEvent, 'outputs'> {
  const missing = init.start.reused.find((id) => !copied.has(id));
  if (missing !== undefined) {
    throw invalidFact(init.id, `phase "${missing}" has no saved result in run ${init.rerunOf?.runId ?? '?'} to reuse`);
  }
  return init.start.reused.length > 0 ? { outputs: Object.fromEntries(init.start.reused.map((id) => [id, copied.get(id) as string])) } : {};
}
