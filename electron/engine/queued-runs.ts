/**
 * What the engine needs to submit runs for workers and to execute a claimed one
 * (SPEC §7). A worker runs a queued run from the definition stored with it, as if its
 * flow file lay in the worker's workspace root: a relative `workdir` resolves under that
 * root, and a flow without one works in the root itself. The submitter's flow file path
 * is kept on the run for display only.
 */
import { basename, join } from 'node:path';
import { WaymarkError, toErrorData, type WaymarkErrorData } from '../../shared/errors';
import type { Budget, PersistedEvent, PlannedPhase } from '../../shared/events';
import { dependenciesOf, type Flow } from '../../shared/flow/schema';
import type { CheckpointStore, ClaimedRun, NewAttempt, NewRun, Owner } from '../store/types';
import { flowFromSource, type LoadedFlow } from './flow-file';
import type { ResumeComputation } from './resume-computation';

export function plannedPhases(flow: Flow, hashes: Map<string, string>): PlannedPhase[] {
  return flow.phases.map((p) => ({ id: p.id, kind: p.kind, dependsOn: dependenciesOf(p), defHash: hashes.get(p.id) as string, ...(p.optional ? { optional: true as const } : {}) }));
}

/** A new run of `loaded`: attempt 1 plans every phase, the roots first. */
export function newRunOf(runId: string, loaded: LoadedFlow, inputs: Record<string, string>, hashes: Map<string, string>): NewRun {
  const { flow } = loaded;
  const frontier = flow.phases.filter((p) => dependenciesOf(p).length === 0).map((p) => p.id);
  const budget = flow.budget ? { budget: { ...flow.budget } } : {};
  return { id: runId, flowName: flow.name, flowFile: loaded.file, flowSource: loaded.source, inputs, start: { flowName: flow.name, phases: plannedPhases(flow, hashes), reused: [], frontier, ...budget } };
}

/** The next attempt `r` plans, under `budget` (run-budget.ts); the flow file the run shows stays `flowFile`. */
export function attemptOf(r: ResumeComputation, flowFile: string | null, restartPhase: string | null, budget?: Budget): NewAttempt {
  const { flow } = r.loaded;
  const start = { flowName: flow.name, phases: plannedPhases(flow, r.hashes), reused: [...r.plan.complete], frontier: r.plan.frontier, ...(budget ? { budget } : {}) };
  return { flowName: flow.name, flowFile, flowSource: r.loaded.source, restartPhase, start };
}

/** The claimed run's stored definition, placed in `workspaceRoot`. Throws FLOW_INVALID or CHECKPOINT_CORRUPT. */
export function claimedFlow(claim: ClaimedRun, workspaceRoot: string): LoadedFlow {
  const { run } = claim;
  if (claim.flowSource === null) throw new WaymarkError('CHECKPOINT_CORRUPT', `run ${run.id} was queued without a flow definition to run`);
  return flowFromSource(claim.flowSource, join(workspaceRoot, basename(run.flowFile ?? `${run.flowName}.yaml`)));
}

/**
 * Records that a claimed run could not start: the claimer holds its lease, so it ends
 * the run `failed` (resumable) rather than leave it `running` until reaped.
 */
export async function failClaimed(store: CheckpointStore, owner: Owner, claim: ClaimedRun, err: unknown, now: number): Promise<{ error: WaymarkErrorData; events: PersistedEvent[] }> {
  const error = toErrorData(err, 'INTERNAL');
  const events = await store.commit(claim.run.id, owner, [{ type: 'run.finished', attempt: claim.run.attempt, status: 'failed', error }], now);
  return { error, events };
}
