/**
 * The engine facade used by the CLI, serve mode and the desktop app: start a run,
 * resume one, cancel, shut down. It owns the lease of each run it executes, commits
 * facts through the store and emits them to listeners only after they are durable.
 */
import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { WaymarkError, hasErrorCode, toErrorData, type WaymarkErrorData } from '../../shared/errors';
import type { LiveEvent, PersistedEvent, PlannedPhase, RunEvent, RunFact } from '../../shared/events';
import { dependenciesOf, type Flow } from '../../shared/flow/schema';
import type { PhaseRecord, PhaseResult, RunRecord, TranscriptEntry } from '../../shared/records';
import { planResume, type ResumePlan } from '../../shared/resume-plan';
import type { RunStatus } from '../../shared/status';
import { notResumable, runNotFound, runOwned } from '../store/rules';
import type { CheckpointStore, Owner } from '../store/types';
import { definitionHash } from './def-hash';
import { flowFromSource, loadFlow, prepareWorkspace, type LoadedFlow } from './flow-file';
import { newRunId } from './ids';
import { resolveInputs } from './inputs';
import { defaultKinds, type KindRegistry } from './kinds';
import { HEARTBEAT_MS, LEASE_STALE_MS, isProcessAlive, processOwner } from './lease';
import type { PhaseTranscript, ResumeNotice } from './phase-kind';
import { providerKeyNames } from './providers/provider-config';
import { createRedactor, secretValues, type Redactor } from './redact';
import { schedule, type ScheduleInput, type ScheduleResult } from './scheduler';

export interface EngineOptions {
  store: CheckpointStore;
  kinds?: KindRegistry;
  owner?: Owner;
  /**
   * The environment phases run with (provider keys included). A function is called each
   * time a run starts or resumes: the desktop app supplies its stored keys this way.
   */
  env?: NodeJS.ProcessEnv | (() => NodeJS.ProcessEnv);
  now?: () => number;
  heartbeatMs?: number;
}

export interface RunOutcome {
  runId: string;
  status: Exclude<RunStatus, 'running'>;
  error: WaymarkErrorData | null;
}

export interface RunHandle {
  runId: string;
  /** Settles when the outcome is recorded; never rejects. */
  done: Promise<RunOutcome>;
}

export interface StartRequest {
  flowFile: string;
  inputs?: Record<string, string>;
}

export interface ResumeRequest {
  runId: string;
  restartPhase?: string;
}

/** Why a run stops early: the reason carried by its abort signal. */
export const SHUTDOWN_REASON = () => new WaymarkError('INTERRUPTED', 'Waymark is shutting down');
export const CANCEL_REASON = () => new WaymarkError('CANCELLED', 'cancelled by the user');

interface ActiveRun {
  controller: AbortController;
  done: Promise<RunOutcome>;
}

export class Engine {
  readonly store: CheckpointStore;
  readonly owner: Owner;
  private readonly kinds: KindRegistry;
  private readonly env: NodeJS.ProcessEnv | (() => NodeJS.ProcessEnv);
  private readonly now: () => number;
  private readonly heartbeatMs: number;
  private readonly listeners = new Set<(event: RunEvent) => void>();
  private readonly active = new Map<string, ActiveRun>();
  /** Secrets of `env`; each run adds its flow's provider keys (see execute). */
  private readonly redactor: Redactor;

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.kinds = options.kinds ?? defaultKinds();
    this.owner = options.owner ?? processOwner();
    this.env = options.env ?? process.env;
    this.now = options.now ?? Date.now;
    this.heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    this.redactor = createRedactor(secretValues(this.currentEnv()));
  }

  /** Marks runs whose owner process is gone as interrupted. Call once at process start. */
  reapOrphans(): PersistedEvent[] {
    const events = this.store.reapOrphans(isProcessAlive, this.now(), LEASE_STALE_MS);
    for (const event of events) this.emit(event);
    return events;
  }

  onEvent(listener: (event: RunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  startRun(request: StartRequest): RunHandle {
    return this.startLoaded(loadFlow(request.flowFile), request.inputs ?? {});
  }

  startLoaded(loaded: LoadedFlow, givenInputs: Record<string, string>): RunHandle {
    const { flow } = loaded;
    const inputs = resolveInputs(flow, givenInputs);
    const hashes = hashesOf(flow);
    const runId = newRunId(this.now());
    const { events } = this.store.createRun(
      {
        id: runId,
        flowName: flow.name,
        flowFile: loaded.file,
        flowSource: loaded.source,
        inputs,
        start: { flowName: flow.name, phases: plannedPhases(flow, hashes), reused: [], frontier: flow.phases.filter((p) => dependenciesOf(p).length === 0).map((p) => p.id) },
      },
      this.owner,
      this.now(),
    );
    events.forEach((e) => this.emit(e));
    return this.execute({ runId, runAttempt: 1, flow, workdir: prepareWorkspace(flow, loaded.file), hashes, inputs, complete: new Map(), priorAttempts: new Map(), notices: new Map(), freshTranscripts: new Set() });
  }

  resumeRun(request: ResumeRequest): RunHandle {
    const { runId, restartPhase } = request;
    const { run, loaded, hashes, previous, results, plan } = this.resumePlan(request);
    const { flow } = loaded;
    const declared = Object.keys(flow.inputs);
    const inputs = resolveInputs(flow, Object.fromEntries(Object.entries(run.inputs).filter(([k]) => declared.includes(k))));
    const notices = new Map<string, ResumeNotice>();
    for (const id of plan.frontier) {
      const error = previous.get(id)?.error;
      notices.set(id, error && previous.get(id)?.status === 'failed' ? { previousError: error } : {});
    }
    const complete = new Map([...plan.complete].map((id) => [id, (results.get(id) as { output: string }).output]));
    const { run: started, events } = this.store.beginAttempt(
      runId,
      {
        flowName: flow.name,
        flowFile: loaded.file,
        flowSource: loaded.source,
        restartPhase: restartPhase ?? null,
        start: { flowName: flow.name, phases: plannedPhases(flow, hashes), reused: [...plan.complete], frontier: plan.frontier },
      },
      this.owner,
      this.now(),
      isProcessAlive,
    );
    events.forEach((e) => this.emit(e));
    const priorAttempts = new Map([...previous.values()].map((p) => [p.phaseId, p.attempts]));
    // A saved conversation is continued only when the phase is unchanged and not restarted.
    const freshTranscripts = new Set(flow.phases.filter((p) => p.id === restartPhase || previous.get(p.id)?.defHash !== hashes.get(p.id)).map((p) => p.id));
    return this.execute({ runId, runAttempt: started.attempt, flow, workdir: prepareWorkspace(flow, loaded.file), hashes, inputs, complete, priorAttempts, notices, freshTranscripts });
  }

  /**
   * What resuming a run would do now: the flow it would run with and the completed set
   * and frontier. `resumeRun` executes exactly this; the app's resume preview shows it.
   * Throws the same refusals as `resumeRun` (not found, not resumable, owned, bad phase).
   */
  resumePlan(request: ResumeRequest): ResumeComputation {
    const { runId, restartPhase } = request;
    const run = this.store.getRun(runId);
    if (!run) throw runNotFound(runId);
    if (run.status === 'succeeded') throw notResumable(runId, run.status);
    if (this.active.has(runId)) throw runOwned(runId, this.owner.pid);
    if (run.status === 'running' && run.owner && isProcessAlive(run.owner.pid)) throw runOwned(runId, run.owner.pid);
    const loaded = this.flowForResume(run);
    const { flow } = loaded;
    if (restartPhase !== undefined && !flow.phases.some((p) => p.id === restartPhase)) {
      throw new WaymarkError('USAGE', `--restart-phase ${restartPhase}: the flow has no such phase (phases: ${flow.phases.map((p) => p.id).join(', ')})`);
    }
    const hashes = hashesOf(flow);
    const previous = new Map(this.store.getPhases(runId).map((p) => [p.phaseId, p]));
    const results = this.store.getPhaseResults(runId, restartPhase ? new Set([restartPhase]) : undefined);
    const plan = planResume(
      flow.phases.map((p) => ({ id: p.id, dependsOn: dependenciesOf(p), defHash: hashes.get(p.id) as string })),
      results,
      { ...(restartPhase ? { restartPhase } : {}), attempted: new Set([...previous.values()].filter((p) => p.attempts > 0).map((p) => p.phaseId)) },
    );
    return { run, loaded, hashes, previous, results, plan };
  }

  /** Cancels a run this process is executing; false when it is not running here. */
  cancel(runId: string): boolean {
    const run = this.active.get(runId);
    if (!run) return false;
    run.controller.abort(CANCEL_REASON());
    return true;
  }

  isActive(runId: string): boolean {
    return this.active.has(runId);
  }

  /** Stops every run this process executes; each is recorded `interrupted`. */
  async shutdown(): Promise<void> {
    const runs = [...this.active.values()];
    for (const run of runs) run.controller.abort(SHUTDOWN_REASON());
    await Promise.all(runs.map((r) => r.done));
  }

  private flowForResume(run: RunRecord): LoadedFlow {
    if (run.flowFile && existsSync(run.flowFile)) return loadFlow(run.flowFile);
    const attempts = this.store.getAttempts(run.id);
    const last = attempts[attempts.length - 1];
    if (!last) throw new WaymarkError('CHECKPOINT_CORRUPT', `run ${run.id} has no saved attempt to resume from`);
    return flowFromSource(last.flowSource, run.flowFile ?? `${run.flowName}.yaml`);
  }

  private execute(spec: ExecutionSpec): RunHandle {
    const controller = new AbortController();
    // Every running phase listens on the run's signal; max_parallel may exceed Node's default of 10.
    setMaxListeners(spec.flow.maxParallel + 16, controller.signal);
    const { runId } = spec;
    // Every fact and live event of the run passes here: secrets never reach the store or listeners.
    const env = this.currentEnv();
    const redactor = createRedactor(secretValues(env, providerKeyNames(spec.flow)));
    // Facts a failed commit could not save are retried with the next commit, so the
    // log stays complete and in order once the store recovers (disk freed, lock gone).
    let backlog: RunFact[] = [];
    const durable = (newFacts: RunFact[]): void => {
      const facts = redactor.deep(newFacts);
      const batch = backlog.length > 0 ? [...backlog, ...facts] : facts;
      try {
        const events = this.store.commit(runId, this.owner, batch, this.now());
        backlog = [];
        for (const event of events) this.emit(event, redactor);
      } catch (err) {
        if (hasErrorCode(err, 'LEASE_LOST')) return controller.abort(err);
        backlog = batch;
        this.emit({ type: 'store.failed', runId, message: `could not save progress (will retry with the next step): ${toErrorData(err).message}` });
      }
    };
    const heartbeat = setInterval(() => {
      try {
        if (!this.store.heartbeat(runId, this.owner, this.now())) controller.abort(new WaymarkError('LEASE_LOST', `run ${runId} was taken over by another process`));
      } catch {
        // a busy database delays one heartbeat; the lease tolerates many
      }
    }, this.heartbeatMs);
    heartbeat.unref();
    const input: ScheduleInput = {
      runId,
      runAttempt: spec.runAttempt,
      flow: spec.flow,
      defHashes: spec.hashes,
      inputs: spec.inputs,
      complete: spec.complete,
      priorAttempts: spec.priorAttempts,
      notices: spec.notices,
      transcript: (phaseId) => phaseTranscript(this.store.readTranscript(runId, phaseId, 0, Number.MAX_SAFE_INTEGER), spec.freshTranscripts.has(phaseId)),
      workdir: spec.workdir,
      kinds: this.kinds,
      signal: controller.signal,
      env,
      durable,
      emit: (event: LiveEvent) => this.emit(event, redactor),
      now: this.now,
    };
    const done = (async (): Promise<RunOutcome> => {
      let result: ScheduleResult;
      try {
        result = await schedule(input);
      } catch (err) {
        result = { status: 'failed', error: toErrorData(err, 'INTERNAL') };
      } finally {
        clearInterval(heartbeat);
      }
      durable([{ type: 'run.finished', attempt: spec.runAttempt, status: result.status, ...(result.error ? { error: result.error } : {}) }]);
      this.active.delete(runId);
      return { runId, status: result.status, error: result.error ? redactor.deep(result.error) : null };
    })();
    this.active.set(runId, { controller, done });
    return { runId, done };
  }

  private currentEnv(): NodeJS.ProcessEnv {
    return typeof this.env === 'function' ? this.env() : this.env;
  }

  private emit(event: RunEvent, redactor: Redactor = this.redactor): void {
    const safe = redactor.deep(event);
    for (const listener of this.listeners) {
      try {
        listener(safe);
      } catch {
        // a failing listener must not break the run
      }
    }
  }
}

/** The inputs and result of the completed-set computation for one resume. */
export interface ResumeComputation {
  run: RunRecord;
  loaded: LoadedFlow;
  hashes: Map<string, string>;
  previous: Map<string, PhaseRecord>;
  results: Map<string, PhaseResult>;
  plan: ResumePlan;
}

interface ExecutionSpec {
  runId: string;
  runAttempt: number;
  flow: Flow;
  workdir: string;
  hashes: Map<string, string>;
  inputs: Record<string, string>;
  complete: Map<string, string>;
  priorAttempts: Map<string, number>;
  notices: Map<string, ResumeNotice>;
  /** Phases whose saved conversation must not be continued (restarted or changed). */
  freshTranscripts: Set<string>;
}

/** The conversation since the last `system` entry, and where the next entry goes. */
function phaseTranscript(entries: TranscriptEntry[], fresh: boolean): PhaseTranscript {
  const last = entries[entries.length - 1];
  const nextIndex = last ? last.index + 1 : 0;
  if (fresh) return { continueFrom: [], nextIndex };
  const start = entries.findLastIndex((e) => e.role === 'system');
  return { continueFrom: start < 0 ? [] : entries.slice(start), nextIndex };
}

function hashesOf(flow: Flow): Map<string, string> {
  return new Map(flow.phases.map((p) => [p.id, definitionHash(p, flow)]));
}

function plannedPhases(flow: Flow, hashes: Map<string, string>): PlannedPhase[] {
  return flow.phases.map((p) => ({ id: p.id, kind: p.kind, dependsOn: dependenciesOf(p), defHash: hashes.get(p.id) as string }));
}
