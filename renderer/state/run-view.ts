/**
 * The run view's domain state, kept up to date by the shared run reducer: the same rules
 * every store follows, so a snapshot plus the events after its `lastSeq` gives the same
 * picture as a fresh snapshot (checked against a trace every store records:
 * run-view-replay.test.ts).
 */
import type { RunDetail } from '../../shared/api';
import type { Budget, PersistedEvent } from '../../shared/events';
import type { ApprovalDecision, PhaseRecord, RunRecord } from '../../shared/records';
import type { ReuseSummary } from '../../shared/reuse';
import { applyRunEvents, type RunSnapshot } from '../../shared/run-reducer';
import { applyAttemptEvents, attemptSummaries, type AttemptSummary } from './attempts';

export interface RunView {
  runId: string;
  run: RunRecord;
  /** Phase records by id; a new object only for phases an event touched. */
  phases: Readonly<Record<string, PhaseRecord>>;
  /** Phase ids in dependency order. */
  order: readonly string[];
  /** The graph's structure; keeps its identity until ids, kinds or edges change (the layout key). */
  structure: readonly StructureEntry[];
  /** What runs first on resume (failed, interrupted and cancelled runs only). */
  frontier: readonly string[];
  /** Seq of the last event applied: later events with a seq at or below it are dropped. */
  lastSeq: number;
  live: boolean;
  /** Every decision on the run's approval phases, oldest first: the snapshot's, then `approval.decided` events. */
  decisions: readonly ApprovalDecision[];
  /** The spending limits of the current attempt (its `run.started.budget`); null: none. */
  budget: Budget | null;
  /** Phases of the current attempt's flow marked `optional: true`: their failure does not fail the run. */
  optional: ReadonlySet<string>;
  /** What resuming saved and re-runs spent again, as of the snapshot (refreshed when the run ends). */
  reuse: ReuseSummary | null;
  /** The run's attempts, oldest first: the snapshot's, then `run.started` / `run.finished` (attempts.ts). */
  attempts: readonly AttemptSummary[];
}

export interface StructureEntry {
  id: string;
  kind: string;
  dependsOn: readonly string[];
}

export function viewFromDetail(detail: RunDetail): RunView {
  const sorted = [...detail.phases].sort((a, b) => a.position - b.position);
  return {
    runId: detail.run.id,
    run: detail.run,
    phases: Object.fromEntries(sorted.map((p) => [p.phaseId, p])),
    order: sorted.map((p) => p.phaseId),
    structure: structureOf(sorted),
    frontier: detail.frontier,
    lastSeq: Math.max(detail.lastSeq, detail.run.lastSeq),
    live: detail.live,
    decisions: detail.decisions ?? [],
    budget: detail.attempts.find((a) => a.attempt === detail.run.attempt)?.budget ?? null,
    optional: new Set(detail.optional ?? []),
    reuse: detail.reuse ?? null,
    attempts: attemptSummaries(detail.attempts),
  };
}

/** Keeps the previous structure object when the new one is equal, so layout does not re-run. */
export function keepStructure(prev: RunView['structure'] | undefined, next: RunView['structure']): RunView['structure'] {
  if (!prev || prev.length !== next.length) return next;
  const same = prev.every((p, i) => {
    const n = next[i];
    return n !== undefined && p.id === n.id && p.kind === n.kind && p.dependsOn.length === n.dependsOn.length && p.dependsOn.every((d, j) => d === n.dependsOn[j]);
  });
  return same ? prev : next;
}

/**
 * Applies a batch of events of this run through the shared reducer (shared/run-reducer.ts,
 * the rules every store follows); events at or below `lastSeq` are ignored. Phases no
 * event touched keep their objects; order and structure change only with a new plan.
 */
export function applyEvents(view: RunView, events: readonly PersistedEvent[]): RunView {
  const before: RunSnapshot = {
    run: view.run.lastSeq === view.lastSeq ? view.run : { ...view.run, lastSeq: view.lastSeq },
    phases: view.order.map((id) => view.phases[id]).filter((p): p is PhaseRecord => p !== undefined),
  };
  const after = applyRunEvents(before, events);
  if (after === before) return view;
  const applied = events.filter((e) => e.runId === view.runId && e.seq > view.lastSeq);
  const replanned = applied.some((e) => e.type === 'run.started');
  const started = applied.findLast((e) => e.type === 'run.started');
  const decided = applied.flatMap((e) => (e.type === 'approval.decided' ? [{ phaseId: e.phaseId, attempt: e.attempt, decision: e.decision, by: e.by, comment: e.comment, at: e.at }] : []));
  return {
    ...view,
    run: after.run,
    phases: Object.fromEntries(after.phases.map((p) => [p.phaseId, p])),
    order: replanned ? after.phases.map((p) => p.phaseId) : view.order,
    structure: replanned ? keepStructure(view.structure, structureOf(after.phases)) : view.structure,
    frontier: replanned ? [] : view.frontier,
    lastSeq: after.run.lastSeq,
    live: view.live && !applied.some((e) => e.type === 'run.finished'),
    decisions: decided.length > 0 ? [...view.decisions, ...decided] : view.decisions,
    budget: started?.type === 'run.started' ? (started.budget ?? null) : view.budget,
    optional: started?.type === 'run.started' ? new Set(started.phases.filter((p) => p.optional).map((p) => p.id)) : view.optional,
    attempts: applyAttemptEvents(view.attempts, applied),
  };
}

/** Applies the run-level part of an event to a run record of the runs list (seq-gated). */
export function applyToRunRecord(run: RunRecord, event: PersistedEvent): RunRecord {
  return applyRunEvents({ run, phases: [] }, [event]).run;
}

function structureOf(phases: readonly PhaseRecord[]): StructureEntry[] {
  return phases.map((p) => ({ id: p.phaseId, kind: p.kind, dependsOn: p.dependsOn }));
}
