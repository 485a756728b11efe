/** runs.*: snapshots read from the store, commands passed to the engine. */
import type { ResumePreview, RunDetail, TranscriptPage } from '../../shared/api';
import { parseFlow } from '../../shared/flow/load';
import type { PhaseRecord, RunRecord, TryRecord } from '../../shared/records';
import { isResumable } from '../../shared/status';
import type { Engine, RerunRequest, ResumeRequest } from '../engine/engine';
import { runNotFound } from '../store/rules';
import { reuseOf } from '../store/reuse-of';

export async function runDetail(engine: Engine, runId: string): Promise<RunDetail> {
  const run = await mustGetRun(engine, runId);
  // Read the run (and its lastSeq) first: phases read after it are at least as new, and
  // replaying an event the snapshot already reflects is harmless; missing one is not.
  const phases = await engine.store.getPhases(runId);
  const attempts = await engine.store.getAttempts(runId);
  const reuse = await reuseOf(engine.store, run);
  const decisions = await engine.store.getDecisions(runId);
  const optional = optionalPhases(`${run.id}#${run.attempt}`, attempts.find((a) => a.attempt === run.attempt)?.flowSource);
  return { run, phases, attempts, lastSeq: run.lastSeq, frontier: await frontierOf(engine, run, phases), live: engine.isActive(runId), reuse, decisions, optional };
}

/**
 * The `optional: true` phases of the flow an attempt ran with ([] when it cannot be read).
 * An attempt's flow never changes, so the answer is kept per run attempt (`key`): parsing a
 * 1,000-phase flow takes ~80 ms, which a run view refreshed after every run end should
 * not pay again. (Storing `optional` with the plan would avoid the parse altogether.)
 */
function optionalPhases(key: string, flowSource: string | undefined): string[] {
  if (!flowSource) return [];
  const known = optionalByAttempt.get(key);
  if (known) return known;
  const loaded = parseFlow(flowSource);
  const optional = loaded.ok ? loaded.flow.phases.filter((p) => p.optional).map((p) => p.id) : [];
  if (optionalByAttempt.size >= OPTIONAL_CACHE_SIZE) optionalByAttempt.delete(optionalByAttempt.keys().next().value as string);
  optionalByAttempt.set(key, optional);
  return optional;
}

const OPTIONAL_CACHE_SIZE = 256;
const optionalByAttempt = new Map<string, string[]>();

export async function transcriptPage(engine: Engine, req: { runId: string; phaseId: string; fromIndex: number; limit: number }): Promise<TranscriptPage> {
  await mustGetRun(engine, req.runId);
  const entries = await engine.store.readTranscript(req.runId, req.phaseId, req.fromIndex, req.limit + 1);
  const page = entries.slice(0, req.limit);
  const last = page[page.length - 1];
  return { entries: page, nextIndex: entries.length > req.limit && last ? last.index + 1 : null };
}

/** The same completed-set computation `resumeRun` executes, shown before the user commits to it. */
export async function previewResume(engine: Engine, request: ResumeRequest): Promise<ResumePreview> {
  const { plan } = await engine.resumePlan(request);
  return {
    reused: [...plan.complete],
    frontier: plan.frontier,
    rerun: [...plan.reasons].map(([id, reason]) => ({ id, reason })),
  };
}

/** What "Run again from here" would do: the plan `rerunRun` executes, shown first. */
export async function previewRerun(engine: Engine, request: RerunRequest): Promise<ResumePreview> {
  const { plan } = await engine.rerunPlan(request);
  return { reused: [...plan.complete], frontier: plan.frontier, rerun: [...plan.reasons].map(([id, reason]) => ({ id, reason })) };
}

/** Every try of one phase (the inspector's history); RUN_NOT_FOUND for an unknown run, [] for a phase without tries. */
export async function phaseTries(engine: Engine, runId: string, phaseId: string): Promise<TryRecord[]> {
  await mustGetRun(engine, runId);
  return engine.store.getTries(runId, phaseId);
}

export async function cancelRun(engine: Engine, runId: string): Promise<{ cancelled: boolean }> {
  const run = await mustGetRun(engine, runId);
  if (engine.cancel(runId)) return { cancelled: true };
  // Not executed here: a queued or waiting run is cancelled in the store; a running one is its owner's.
  if (run.status === 'running') return { cancelled: false };
  return { cancelled: await engine.cancelIdle(runId) };
}

/**
 * What runs first on resume, for runs that can be resumed. Uses the engine's plan (the
 * current flow file and the verified saved results); when that cannot be computed (the
 * file no longer loads, a result is corrupt), falls back to the phases that did not
 * succeed but whose dependencies all did.
 */
async function frontierOf(engine: Engine, run: RunRecord, phases: PhaseRecord[]): Promise<string[]> {
  if (!isResumable(run.status)) return [];
  try {
    return (await engine.resumePlan({ runId: run.id })).plan.frontier;
  } catch {
    const succeeded = new Set(phases.filter((p) => p.status === 'succeeded').map((p) => p.phaseId));
    return phases.filter((p) => !succeeded.has(p.phaseId) && p.dependsOn.every((d) => succeeded.has(d))).map((p) => p.phaseId);
  }
}

async function mustGetRun(engine: Engine, runId: string): Promise<RunRecord> {
  const run = await engine.store.getRun(runId);
  if (!run) throw runNotFound(runId);
  return run;
}
