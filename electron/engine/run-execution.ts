/**
 * Executes one attempt of a run that the engine has created or resumed: the durable
 * write path (redact → commit → emit), the lease heartbeat, the scheduler, and the
 * outcome recorded on every exit path.
 */
import { setMaxListeners } from 'node:events';
import { WaymarkError, toErrorData } from '../../shared/errors';
import type { Budget, LiveEvent, RunEvent, RunFact } from '../../shared/events';
import type { Flow } from '../../shared/flow/schema';
import type { TranscriptEntry } from '../../shared/records';
import type { CheckpointStore, Owner } from '../store/types';
import type { KindRegistry } from './kinds';
import type { Decision, PhaseTranscript, ResumeNotice } from './phase-kind';
import type { PhaseProcesses } from './phase-processes';
import { providerKeyNames } from './providers/provider-config';
import { createRedactor, secretValues, type Redactor } from './redact';
import type { SandboxSettings } from './sandbox/settings';
import { FlowScheduler, type ScheduleInput, type ScheduleResult } from './scheduler';
import { DurableWriter } from './durable-writer';
import { BudgetTracker, type Spent } from './budget';
import type { RunOutcome } from './engine';

export interface ExecutionSpec {
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
  /**
   * Settles once the process groups an earlier owner left are stopped (a resume): no
   * phase starts before, and a rejection fails the attempt (SPEC §4).
   */
  ready?: Promise<void>;
  /** The attempt's spending limits (`run.started.budget`) and what the run spent before it. */
  budget?: { limit: Budget; spentBefore: Spent };
}

export interface ExecutionDeps {
  store: CheckpointStore;
  owner: Owner;
  kinds: KindRegistry;
  env: NodeJS.ProcessEnv;
  /** What sandboxed commands must not see. */
  sandbox: SandboxSettings;
  /** Where phases record the process groups they spawn. */
  processes: Pick<PhaseProcesses, 'track'>;
  now: () => number;
  heartbeatMs: number;
  /** How often unsaved facts are retried (default 1 s) and how long the end of the run tries. */
  storeRetryMs?: number;
  finalSaveMs?: number;
  emit(event: RunEvent, redactor: Redactor): void;
  /** Called when the run stops being active here, just before `run.finished` is committed. */
  release(runId: string): void;
}

export interface Execution {
  controller: AbortController;
  done: Promise<RunOutcome>;
  /**
   * Hands a decision to a parked approval phase of this run (FlowScheduler.decide):
   * false when that phase is not parked here.
   */
  decide(phaseId: string, decision: Decision): Promise<boolean>;
  isParked(phaseId: string): boolean;
}

export function executeRun(deps: ExecutionDeps, spec: ExecutionSpec): Execution {
  const { store, owner, now } = deps;
  const { runId } = spec;
  const controller = new AbortController();
  // Every running phase listens on the run's signal; max_parallel may exceed Node's default of 10.
  setMaxListeners(spec.flow.maxParallel + 16, controller.signal);
  // Every fact and live event of the run passes here: secrets never reach the store or listeners.
  const redactor = createRedactor(secretValues(deps.env, providerKeyNames(spec.flow)));
  const emit = (event: RunEvent) => deps.emit(event, redactor);
  const writer = new DurableWriter({ store, owner, runId, now, redact: (v) => redactor.deep(v), emit, onLeaseLost: (err) => controller.abort(err), ...(deps.storeRetryMs !== undefined ? { retryMs: deps.storeRetryMs } : {}) });
  // Every model step passes here as it is recorded, so the budget counts all phases at once.
  const budget = spec.budget ? new BudgetTracker(spec.budget.limit, spec.budget.spentBefore) : undefined;
  const durable = (facts: RunFact[], onSaved?: () => void): Promise<void> => {
    if (budget) for (const fact of facts) if (fact.type === 'transcript.appended' && fact.usage) budget.add(fact.usage);
    return writer.write(facts, onSaved);
  };
  const stopHeartbeat = keepLeaseAlive(store, runId, owner, deps.heartbeatMs, now, () => controller.abort(new WaymarkError('LEASE_LOST', `run ${runId} was taken over by another process`)));

  const input: ScheduleInput = {
    runId,
    runAttempt: spec.runAttempt,
    flow: spec.flow,
    defHashes: spec.hashes,
    inputs: spec.inputs,
    complete: spec.complete,
    priorAttempts: spec.priorAttempts,
    notices: spec.notices,
    transcript: async (phaseId) => phaseTranscript(await store.readTranscript(runId, phaseId, 0, Number.MAX_SAFE_INTEGER), spec.freshTranscripts.has(phaseId)),
    workdir: spec.workdir,
    kinds: deps.kinds,
    signal: controller.signal,
    env: deps.env,
    sandbox: deps.sandbox,
    durable,
    trackProcess: (phaseId, attempt, pgid) =>
      deps.processes.track({ runId, phaseId, attempt }, pgid, (err) =>
        emit({ type: 'store.failed', runId, message: `could not record the process group of phase "${phaseId}" (if Waymark is killed now, it may keep running): ${toErrorData(err).message}` }),
      ),
    emit: (event: LiveEvent) => emit(event),
    now,
    ...(budget ? { budget, budgetState: () => budget.state() } : {}),
  };
  const scheduler = new FlowScheduler(input);

  const done = (async (): Promise<RunOutcome> => {
    let result: ScheduleResult;
    try {
      await spec.ready;
      result = await scheduler.run();
    } catch (err) {
      result = { status: 'failed', error: toErrorData(err, 'INTERNAL') };
    } finally {
      stopHeartbeat();
    }
    deps.release(runId);
    const waitingFor = result.waitingFor ? { waitingFor: result.waitingFor } : {};
    void durable([{ type: 'run.finished', attempt: spec.runAttempt, status: result.status, ...(result.error ? { error: result.error } : {}), ...waitingFor }]);
    if (!(await writer.settle(deps.finalSaveMs))) return unsavedOutcome(runId, result.status);
    return { runId, status: result.status, error: result.error ? redactor.deep(result.error) : null, ...waitingFor };
  })();
  return { controller, done, decide: (phaseId, decision) => scheduler.decide(phaseId, decision), isParked: (phaseId) => scheduler.isParked(phaseId) };
}

/**
 * Heartbeats the run's lease every `everyMs` until the returned function is called.
 * A store that can beat off this event loop (store.keepAlive: SQLite's writer thread)
 * does, so long synchronous work here cannot make this live owner look dead; otherwise
 * a timer here. A failed beat (busy database) is skipped: the lease tolerates many.
 */
function keepLeaseAlive(store: CheckpointStore, runId: string, owner: Owner, everyMs: number, now: () => number, onLost: () => void): () => void {
  if (store.keepAlive) return store.keepAlive(runId, owner, everyMs, onLost);
  const timer = setInterval(() => {
    store.heartbeat(runId, owner, now()).then((held) => held || onLost(), () => undefined);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * The outcome when the run's end could not be saved. The database still says
 * `running`, owned by this process; once it exits, the next Waymark process to start
 * marks the run `interrupted` (SPEC §1). So `interrupted` is what every reader will
 * see, and what this process reports: never an outcome the store does not hold.
 */
function unsavedOutcome(runId: string, status: RunOutcome['status']): RunOutcome {
  return {
    runId,
    status: 'interrupted',
    error: { code: 'STORE_FAILED', message: `the run ${status === 'succeeded' ? 'succeeded' : `ended ${status}`}, but its outcome could not be saved; it will show as interrupted, and a resume reuses every phase whose success was saved`, retryable: true },
  };
}

/** The conversation since the last `system` entry, and where the next entry goes. */
export function phaseTranscript(entries: TranscriptEntry[], fresh: boolean): PhaseTranscript {
  const last = entries[entries.length - 1];
  const nextIndex = last ? last.index + 1 : 0;
  if (fresh) return { continueFrom: [], nextIndex };
  const start = entries.findLastIndex((e) => e.role === 'system');
  return { continueFrom: start < 0 ? [] : entries.slice(start), nextIndex };
}
