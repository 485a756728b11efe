/**
 * Building blocks of the conformance suite: a deterministic clock, owners, a small plan
 * and fact builders, so every section reads as the scenario it checks.
 */
import type { WaymarkErrorData } from '../../../shared/errors';
import type { PhaseFinishedEvent, PhaseStartedEvent, PlannedPhase, RunFact, TranscriptAppendedEvent, TranscriptRole, Usage } from '../../../shared/events';
import type { CheckpointStore, NewAttempt, NewRun, Owner } from '../types';

/** What an implementation hands the suite for one test; `corrupt` damages a saved output. */
export interface StoreHarness {
  store: CheckpointStore;
  cleanup?: () => void | Promise<void>;
  corrupt(runId: string, phaseId: string): void;
  /** Another store on the same database (another connection; the caller closes it), where there can be one. */
  connect?: () => Promise<CheckpointStore>;
}

/** What each section sees: the store under test and a clock that only moves forward. */
export interface Ctx {
  store: CheckpointStore;
  corrupt(runId: string, phaseId: string): void;
  /** Another store on the same database, as StoreHarness.connect. */
  connect?: () => Promise<CheckpointStore>;
  /** Returns a new, strictly larger timestamp on every call. */
  now(): number;
  /** The last value `now()` returned. */
  last(): number;
}

export type GetCtx = () => Ctx;

export function clock(start = 1_000_000): Pick<Ctx, 'now' | 'last'> {
  let t = start;
  return { now: () => (t += 10), last: () => t };
}

export const OWNER: Owner = { id: 'owner-a', pid: 41_001, host: 'host-a' };
export const OTHER: Owner = { id: 'owner-b', pid: 41_002, host: 'host-b' };
export const alive = (): boolean => true;
export const dead = (): boolean => false;
export const aliveExcept = (pid: number) => (p: number): boolean => p !== pid;

/** Declared in dependency order, deliberately not alphabetical: order must come from the plan. */
export const PLAN: PlannedPhase[] = [
  { id: 'research', kind: 'agent', dependsOn: [], defHash: 'h-research' },
  { id: 'code', kind: 'agent', dependsOn: ['research'], defHash: 'h-code' },
  { id: 'test', kind: 'command', dependsOn: ['code'], defHash: 'h-test' },
];

export function newRun(id: string, overrides: Partial<NewRun> = {}): NewRun {
  return {
    id,
    flowName: 'add-integration',
    flowFile: '/flows/add-integration.yaml',
    flowSource: 'name: add-integration # v1\n',
    inputs: { service: 'redis' },
    start: { flowName: 'add-integration', phases: PLAN, reused: [], frontier: ['research'] },
    ...overrides,
  };
}

export function newAttempt(phases: PlannedPhase[], reused: string[], overrides: Partial<NewAttempt> = {}): NewAttempt {
  return {
    flowName: 'add-integration',
    flowFile: '/flows/add-integration.yaml',
    flowSource: `name: add-integration # ${phases.map((p) => p.id).join(',')}\n`,
    restartPhase: null,
    // The run's flow name is the fact's: the engine passes the same name twice.
    start: { flowName: overrides.flowName ?? 'add-integration', phases, reused, frontier: phases.filter((p) => !reused.includes(p.id)).slice(0, 1).map((p) => p.id) },
    ...overrides,
  };
}

export function started(phaseId: string, attempt = 1, runAttempt = 1, defHash = `h-${phaseId}`): PhaseStartedEvent {
  return { type: 'phase.started', phaseId, attempt, runAttempt, defHash };
}

export function succeeded(phaseId: string, attempt: number, output: string, extra: Partial<PhaseFinishedEvent> = {}): PhaseFinishedEvent {
  return { type: 'phase.finished', phaseId, attempt, status: 'succeeded', durationMs: 5, output, ...extra };
}

export function failed(phaseId: string, attempt: number, error: WaymarkErrorData, extra: Partial<PhaseFinishedEvent> = {}): PhaseFinishedEvent {
  return { type: 'phase.finished', phaseId, attempt, status: 'failed', durationMs: 5, error, ...extra };
}

export function said(phaseId: string, index: number, content: unknown, usage?: Usage, role: TranscriptRole = 'assistant'): TranscriptAppendedEvent {
  return { type: 'transcript.appended', phaseId, index, role, content, ...(usage ? { usage } : {}) };
}

export const MODEL_ERROR: WaymarkErrorData = { code: 'PROVIDER_ERROR', message: 'HTTP 500 from the model' };

/** Creates the standard run owned by OWNER. */
export function startRun(ctx: Ctx, id = 'run-1', overrides: Partial<NewRun> = {}) {
  return ctx.store.createRun(newRun(id, overrides), OWNER, ctx.now());
}

/** Creates a run whose first phase succeeded and whose second failed; the run is `failed`. */
export async function failedRun(ctx: Ctx, id = 'run-1'): Promise<void> {
  await startRun(ctx, id);
  await commit(ctx, id, [started('research'), succeeded('research', 1, 'metrics: a, b')]);
  await commit(ctx, id, [started('code'), said('code', 0, { text: 'writing' }, { inputTokens: 10, outputTokens: 3 }), failed('code', 1, MODEL_ERROR)]);
  await commit(ctx, id, [{ type: 'run.finished', attempt: 1, status: 'failed', error: { code: 'PHASE_FAILED', message: 'phase "code" failed' } }]);
}

export function commit(ctx: Ctx, runId: string, facts: RunFact[], owner: Owner = OWNER) {
  return ctx.store.commit(runId, owner, facts, ctx.now());
}

/** Everything a refused write must leave untouched. */
export async function snapshot(store: CheckpointStore, runId: string) {
  const phases = await store.getPhases(runId);
  return {
    run: await store.getRun(runId),
    phases,
    attempts: await store.getAttempts(runId),
    events: await store.eventsSince(runId, 0, 10_000),
    results: [...(await store.getPhaseResults(runId, new Set(phases.map((p) => p.phaseId))))],
    transcripts: await Promise.all(phases.map((p) => store.readTranscript(runId, p.phaseId, 0, 10_000))),
  };
}

/** Runs `fn`, expecting it to throw or reject; returns the error for more checks. */
export async function thrown(fn: () => unknown): Promise<{ code?: string; message: string; where?: { phaseId?: string } }> {
  try {
    await fn();
  } catch (err) {
    return err as { code?: string; message: string };
  }
  throw new Error('expected an error, but nothing was thrown');
}
