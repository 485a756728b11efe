/**
 * "Run again from a phase" (SPEC §4): a NEW run of the flow as it is now (the file, else
 * the definition the run last ran with) that reuses saved outputs of the run it comes
 * from by the completed-set rules, with the chosen phase restarted: that phase and its
 * descendants run again; of the other phases, those the completed-set rules keep are
 * reused (upstream ones included) and the rest run. It works on a run in any state,
 * succeeded ones included. The new run records where it came from (RunRecord.rerunOf).
 */
import { WaymarkError } from '../../shared/errors';
import type { RunRecord } from '../../shared/records';
import type { CheckpointStore, NewRun } from '../store/types';
import { newRunOf } from './queued-runs';
import { computeResume, flowForResume, type ResumeComputation } from './resume-computation';

export interface RerunRequest {
  /** The run to run again. */
  runId: string;
  /** The phase to run again from. */
  fromPhase: string;
}

/** What running `run` again from `fromPhase` would do now; throws USAGE for a phase the flow does not have. */
export async function computeRerun(store: CheckpointStore, run: RunRecord, fromPhase: string): Promise<ResumeComputation> {
  const loaded = await flowForResume(store, run);
  const ids = loaded.flow.phases.map((p) => p.id);
  if (!ids.includes(fromPhase)) {
    throw new WaymarkError('USAGE', `cannot run run ${run.id} again from "${fromPhase}": the flow has no such phase (phases: ${ids.join(', ')})`, { where: { phaseId: fromPhase } });
  }
  return computeResume(store, run, fromPhase, loaded);
}

/** The new run: attempt 1 reuses the completed set (copied from the run it came from) and starts at the frontier. */
export function rerunOf(runId: string, r: ResumeComputation, fromPhase: string): NewRun {
  const base = newRunOf(runId, r.loaded, r.inputs, r.hashes);
  return { ...base, start: { ...base.start, reused: [...r.plan.complete], frontier: r.plan.frontier }, rerunOf: { runId: r.run.id, phase: fromPhase } };
}
