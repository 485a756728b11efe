/**
 * Everything resuming a run decides before anything executes (SPEC §4): the flow it
 * runs with (the file on disk, else the definition saved in the run), the completed set
 * and frontier, the outputs reused, the resumed-run notices, and which saved
 * conversations may be continued. The engine executes exactly this; the app's resume
 * preview shows it.
 */
import { existsSync } from 'node:fs';
import { WaymarkError } from '../../shared/errors';
import { dependenciesOf, type Flow } from '../../shared/flow/schema';
import type { PhaseRecord, PhaseResult, RunRecord } from '../../shared/records';
import { planResume, type ResumePlan } from '../../shared/resume-plan';
import type { CheckpointStore } from '../store/types';
import { definitionHash } from './def-hash';
import { flowFromSource, loadFlow, type LoadedFlow } from './flow-file';
import { resolveInputs } from './inputs';
import type { ResumeNotice } from './phase-kind';

export interface ResumeComputation {
  run: RunRecord;
  loaded: LoadedFlow;
  hashes: Map<string, string>;
  previous: Map<string, PhaseRecord>;
  results: Map<string, PhaseResult>;
  plan: ResumePlan;
  /** The run's inputs, as the (possibly edited) flow declares them. */
  inputs: Record<string, string>;
  /** Saved outputs of the completed set. */
  complete: Map<string, string>;
  /** One per frontier phase, with its previous error when it had failed. */
  notices: Map<string, ResumeNotice>;
  /** Tries each phase had so far. */
  priorAttempts: Map<string, number>;
  /** Phases whose saved conversation must not be continued (restarted or changed). */
  freshTranscripts: Set<string>;
}

/** `given`: the flow to resume with (a worker's: the definition stored with the run); default flowForResume. */
export async function computeResume(store: CheckpointStore, run: RunRecord, restartPhase: string | undefined, given?: LoadedFlow): Promise<ResumeComputation> {
  const loaded = given ?? (await flowForResume(store, run));
  const { flow } = loaded;
  if (restartPhase !== undefined && !flow.phases.some((p) => p.id === restartPhase)) {
    throw new WaymarkError('USAGE', `--restart-phase ${restartPhase}: the flow has no such phase (phases: ${flow.phases.map((p) => p.id).join(', ')})`);
  }
  const hashes = hashesOf(flow);
  const previous = new Map((await store.getPhases(run.id)).map((p) => [p.phaseId, p]));
  const results = await store.getPhaseResults(run.id, restartPhase ? new Set([restartPhase]) : undefined);
  const plan = planResume(
    flow.phases.map((p) => ({ id: p.id, dependsOn: dependenciesOf(p), defHash: hashes.get(p.id) as string })),
    results,
    {
      ...(restartPhase ? { restartPhase } : {}),
      attempted: new Set([...previous.values()].filter((p) => p.attempts > 0).map((p) => p.phaseId)),
      waiting: new Set([...previous.values()].filter((p) => p.status === 'waiting').map((p) => p.phaseId)),
    },
  );
  const declared = Object.keys(flow.inputs);
  const inputs = resolveInputs(flow, Object.fromEntries(Object.entries(run.inputs).filter(([k]) => declared.includes(k))));
  const notices = new Map<string, ResumeNotice>();
  for (const id of plan.frontier) {
    const before = previous.get(id);
    notices.set(id, before?.error && before.status === 'failed' ? { previousError: before.error } : {});
  }
  return {
    run,
    loaded,
    hashes,
    previous,
    results,
    plan,
    inputs,
    complete: new Map([...plan.complete].map((id) => [id, (results.get(id) as PhaseResult).output])),
    notices,
    priorAttempts: new Map([...previous.values()].map((p) => [p.phaseId, p.attempts])),
    freshTranscripts: new Set(flow.phases.filter((p) => p.id === restartPhase || previous.get(p.id)?.defHash !== hashes.get(p.id)).map((p) => p.id)),
  };
}

/** The flow file as it is now; if it is gone, the definition the run last ran with. */
export async function flowForResume(store: CheckpointStore, run: RunRecord): Promise<LoadedFlow> {
  if (run.flowFile && existsSync(run.flowFile)) return loadFlow(run.flowFile);
  const attempts = await store.getAttempts(run.id);
  const last = attempts[attempts.length - 1];
  if (!last) throw new WaymarkError('CHECKPOINT_CORRUPT', `run ${run.id} has no saved attempt to resume from`);
  return flowFromSource(last.flowSource, run.flowFile ?? `${run.flowName}.yaml`);
}

export function hashesOf(flow: Flow): Map<string, string> {
  return new Map(flow.phases.map((p) => [p.id, definitionHash(p, flow)]));
}
