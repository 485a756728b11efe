/**
 * One try of a phase: its kind executed under the run's signal and the phase's timeout,
 * and how the try ended — succeeded, failed (aborted by the run or not), or waiting for
 * a higher budget. The scheduler decides what each ending means for the run.
 */
import { formatDuration, parseDuration } from '../../shared/duration';
import { WaymarkError, toErrorData, type WaymarkErrorData } from '../../shared/errors';
import { dependenciesOf, type Flow, type PhaseDef } from '../../shared/flow/schema';
import { templatedFields } from '../../shared/flow/semantics';
import { referencedPhases } from '../../shared/flow/template';
import type { KindRegistry } from './kinds';
import { PhaseFailure, PhaseWaiting, type PhaseContext, type PhaseOutcome, type ResumeNotice } from './phase-kind';

export type TryResult =
  | { end: 'succeeded'; outcome: PhaseOutcome }
  | { end: 'failed'; aborted: boolean; error: WaymarkErrorData; details: PhaseFailure['details'] }
  | { end: 'waiting'; message: string };

export interface TryRequest {
  phase: PhaseDef;
  flow: Flow;
  kinds: KindRegistry;
  /** Set on a frontier phase of a resumed run: the kind may add it to its prompt. */
  notice: ResumeNotice | undefined;
  /** The run's signal: cancel, shutdown, a lost lease. */
  runSignal: AbortSignal;
  /** The context the kind executes with, for the (possibly noticed) phase and the try's signal. */
  context(phase: PhaseDef, signal: AbortSignal): Promise<PhaseContext>;
}

export async function runTry(request: TryRequest): Promise<TryResult> {
  const { runSignal } = request;
  let phase = request.phase;
  const kind = request.kinds.get(phase.kind);
  const controller = new AbortController();
  const onRunAbort = () => controller.abort(runSignal.reason);
  runSignal.addEventListener('abort', onRunAbort, { once: true });
  const timeoutMs = timeoutOf(phase, request.flow);
  let timedOut = false;
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          controller.abort(new WaymarkError('PHASE_TIMEOUT', `phase "${phase.id}" timed out after ${formatDuration(timeoutMs)}`));
        }, timeoutMs);
  try {
    if (!kind) throw new WaymarkError('PHASE_FAILED', `no phase kind "${phase.kind}" is registered`);
    if (request.notice && kind.applyResumeNotice) phase = kind.applyResumeNotice(phase, request.notice);
    const outcome = await kind.execute(await request.context(phase, controller.signal));
    if (runSignal.aborted) return { end: 'failed', aborted: true, error: toErrorData(runSignal.reason), details: {} };
    return { end: 'succeeded', outcome };
  } catch (err) {
    const details = err instanceof PhaseFailure ? err.details : {};
    if (runSignal.aborted) return { end: 'failed', aborted: true, error: toErrorData(runSignal.reason), details };
    if (err instanceof PhaseWaiting && !timedOut) return { end: 'waiting', message: err.message };
    const error = timedOut ? toErrorData(controller.signal.reason) : toErrorData(err, 'PHASE_FAILED');
    return { end: 'failed', aborted: false, error, details };
  } finally {
    if (timer) clearTimeout(timer);
    runSignal.removeEventListener('abort', onRunAbort);
  }
}

/**
 * The outputs a phase sees: those its templates reference (always ancestors, the loader
 * checks) and those of its direct dependencies. Never the whole run's, so a phase's
 * environment does not depend on what else happened to finish first.
 */
export function outputsNeeded(phase: PhaseDef): Set<string> {
  const ids = new Set(dependenciesOf(phase));
  for (const [, template] of templatedFields(phase)) for (const id of referencedPhases(template)) ids.add(id);
  return ids;
}

/** An approval phase has none: a person decides, however long it takes (schema.ts, ApprovalPhase). */
function timeoutOf(phase: PhaseDef, flow: Flow): number | undefined {
  if (phase.kind === 'approval') return undefined;
  const spec = phase.timeout ?? flow.defaults.timeout;
  return spec === undefined ? undefined : parseDuration(spec);
}
