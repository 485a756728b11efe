/**
 * Executes one attempt of a run that the engine has created or resumed: the durable
 * write path (redact → commit → emit), the lease heartbeat, the scheduler, and the
 * outcome recorded on every exit path.
 */
import { setMaxListeners } from 'node:events';
import { WaymarkError, hasErrorCode, toErrorData } from '../../shared/errors';
import type { LiveEvent, RunEvent, RunFact } from '../../shared/events';
import type { Flow } from '../../shared/flow/schema';
import type { TranscriptEntry } from '../../shared/records';
import type { CheckpointStore, Owner } from '../store/types';
import type { KindRegistry } from './kinds';
import type { PhaseTranscript, ResumeNotice } from './phase-kind';
import { providerKeyNames } from './providers/provider-config';
import { createRedactor, secretValues, type Redactor } from './redact';
import { schedule, type ScheduleResult } from './scheduler';
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
}

export interface ExecutionDeps {
  store: CheckpointStore;
  owner: Owner;
  kinds: KindRegistry;
  env: NodeJS.ProcessEnv;
  now: () => number;
  heartbeatMs: number;
  emit(event: RunEvent, redactor: Redactor): void;
  /** Called when the run stops being active here, just before `run.finished` is committed. */
  release(runId: string): void;
}

export interface Execution {
  controller: AbortController;
  done: Promise<RunOutcome>;
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
  // Facts a failed commit could not save are retried with the next commit, so the
  // log stays complete and in order once the store recovers (disk freed, lock gone).
  let backlog: RunFact[] = [];
  const durable = (newFacts: RunFact[]): void => {
    const facts = redactor.deep(newFacts);
    const batch = backlog.length > 0 ? [...backlog, ...facts] : facts;
    try {
      const events = store.commit(runId, owner, batch, now());
      backlog = [];
      for (const event of events) emit(event);
    } catch (err) {
      if (hasErrorCode(err, 'LEASE_LOST')) return controller.abort(err);
      backlog = batch;
      emit({ type: 'store.failed', runId, message: `could not save progress (will retry with the next step): ${toErrorData(err).message}` });
    }
  };
  const heartbeat = setInterval(() => {
    try {
      if (!store.heartbeat(runId, owner, now())) controller.abort(new WaymarkError('LEASE_LOST', `run ${runId} was taken over by another process`));
    } catch {
      // a busy database delays one heartbeat; the lease tolerates many
    }
  }, deps.heartbeatMs);
  heartbeat.unref();

  const done = (async (): Promise<RunOutcome> => {
    let result: ScheduleResult;
    try {
      result = await schedule({
        runId,
        runAttempt: spec.runAttempt,
        flow: spec.flow,
        defHashes: spec.hashes,
        inputs: spec.inputs,
        complete: spec.complete,
        priorAttempts: spec.priorAttempts,
        notices: spec.notices,
        transcript: (phaseId) => phaseTranscript(store.readTranscript(runId, phaseId, 0, Number.MAX_SAFE_INTEGER), spec.freshTranscripts.has(phaseId)),
        workdir: spec.workdir,
        kinds: deps.kinds,
        signal: controller.signal,
        env: deps.env,
        durable,
        emit: (event: LiveEvent) => emit(event),
        now,
      });
    } catch (err) {
      result = { status: 'failed', error: toErrorData(err, 'INTERNAL') };
    } finally {
      clearInterval(heartbeat);
    }
    deps.release(runId);
    durable([{ type: 'run.finished', attempt: spec.runAttempt, status: result.status, ...(result.error ? { error: result.error } : {}) }]);
    return { runId, status: result.status, error: result.error ? redactor.deep(result.error) : null };
  })();
  return { controller, done };
}

/** The conversation since the last `system` entry, and where the next entry goes. */
export function phaseTranscript(entries: TranscriptEntry[], fresh: boolean): PhaseTranscript {
  const last = entries[entries.length - 1];
  const nextIndex = last ? last.index + 1 : 0;
  if (fresh) return { continueFrom: [], nextIndex };
  const start = entries.findLastIndex((e) => e.role === 'system');
  return { continueFrom: start < 0 ? [] : entries.slice(start), nextIndex };
}
