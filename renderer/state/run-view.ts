/**
 * The run view's domain state and the pure reducer that applies persisted events to it.
 * It mirrors what the store does with the same facts (electron/store), so a snapshot
 * plus the events after its `lastSeq` gives the same picture as a fresh snapshot.
 */
import type { RunDetail } from '../../shared/api';
import type { PersistedEvent, Usage } from '../../shared/events';
import type { PhaseRecord, RunRecord } from '../../shared/records';

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
    structure: sorted.map((p) => ({ id: p.phaseId, kind: p.kind, dependsOn: p.dependsOn })),
    frontier: detail.frontier,
    lastSeq: Math.max(detail.lastSeq, detail.run.lastSeq),
    live: detail.live,
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

/** Applies a batch of events of this run in seq order; events at or below `lastSeq` are ignored. */
export function applyEvents(view: RunView, events: readonly PersistedEvent[]): RunView {
  const fresh = events.filter((e) => e.runId === view.runId && e.seq > view.lastSeq).sort((a, b) => a.seq - b.seq);
  if (fresh.length === 0) return view;
  const draft: Draft = { ...view, phases: { ...view.phases }, run: { ...view.run, usage: { ...view.run.usage } }, touched: new Set() };
  for (const event of fresh) {
    if (event.seq <= draft.lastSeq) continue;
    applyOne(draft, event);
    draft.lastSeq = event.seq;
    draft.run.lastSeq = event.seq;
    draft.run.updatedAt = event.at;
  }
  const { touched: _t, ...next } = draft;
  return { ...next, structure: keepStructure(view.structure, next.structure) };
}

interface Draft extends Omit<RunView, 'phases' | 'run'> {
  phases: Record<string, PhaseRecord>;
  run: RunRecord;
  /** Phases already copied in this batch (copy on first write). */
  touched: Set<string>;
}

function phase(draft: Draft, id: string): PhaseRecord | undefined {
  const current = draft.phases[id];
  if (!current) return undefined;
  if (draft.touched.has(id)) return current;
  const copy = { ...current, usage: { ...current.usage } };
  draft.phases[id] = copy;
  draft.touched.add(id);
  return copy;
}

function applyOne(draft: Draft, event: PersistedEvent): void {
  switch (event.type) {
    case 'run.started': {
      Object.assign(draft.run, { status: 'running', attempt: event.attempt, error: null, finishedAt: null });
      draft.frontier = [];
      const reused = new Set(event.reused);
      const prev = draft.phases;
      draft.phases = {};
      draft.touched = new Set();
      event.phases.forEach((p, position) => {
        const old = prev[p.id];
        const status = reused.has(p.id) ? 'succeeded' : 'pending';
        draft.phases[p.id] = {
          runId: draft.runId, phaseId: p.id, position, kind: p.kind, dependsOn: [...p.dependsOn], defHash: p.defHash, status,
          attempts: old?.attempts ?? 0, error: status === 'succeeded' ? (old?.error ?? null) : null,
          startedAt: old?.startedAt ?? null, finishedAt: old?.finishedAt ?? null, exitCode: old?.exitCode ?? null,
          output: status === 'succeeded' ? (old?.output ?? null) : null,
          stdoutTail: status === 'succeeded' ? (old?.stdoutTail ?? null) : null,
          stderrTail: status === 'succeeded' ? (old?.stderrTail ?? null) : null,
          usage: old ? { ...old.usage } : { inputTokens: 0, outputTokens: 0 },
        };
        draft.touched.add(p.id);
      });
      draft.order = event.phases.map((p) => p.id);
      draft.structure = event.phases.map((p) => ({ id: p.id, kind: p.kind, dependsOn: [...p.dependsOn] }));
      return;
    }
    case 'phase.started': {
      const p = phase(draft, event.phaseId);
      if (p) Object.assign(p, { status: 'running', attempts: event.attempt, startedAt: event.at, finishedAt: null, error: null, exitCode: null, output: null, stdoutTail: null, stderrTail: null });
      return;
    }
    case 'phase.finished': {
      const p = phase(draft, event.phaseId);
      if (!p) return;
      Object.assign(p, { status: event.retryInMs !== undefined ? 'running' : event.status, finishedAt: event.at, error: event.error ?? null, exitCode: event.exitCode ?? null });
      if (event.output !== undefined) p.output = event.output;
      if (event.stdoutTail !== undefined) p.stdoutTail = event.stdoutTail;
      if (event.stderrTail !== undefined) p.stderrTail = event.stderrTail;
      return;
    }
    case 'transcript.appended': {
      const p = phase(draft, event.phaseId);
      if (p && event.usage) addUsage(p.usage, event.usage);
      if (event.usage) addUsage(draft.run.usage, event.usage);
      return;
    }
    case 'run.finished': {
      Object.assign(draft.run, { status: event.status, error: event.error ?? null, finishedAt: event.at, owner: null });
      for (const id of draft.order) {
        if (draft.phases[id]?.status !== 'running') continue;
        Object.assign(phase(draft, id) as PhaseRecord, { status: 'interrupted', finishedAt: event.at });
      }
      draft.live = false;
      return;
    }
  }
}

function addUsage(into: Usage, add: Usage): void {
  into.inputTokens += add.inputTokens;
  into.outputTokens += add.outputTokens;
}

/** Applies the run-level part of an event to a run record of the runs list (seq-gated). */
export function applyToRunRecord(run: RunRecord, event: PersistedEvent): RunRecord {
  if (event.seq <= run.lastSeq) return run;
  const next: RunRecord = { ...run, lastSeq: event.seq, updatedAt: event.at };
  if (event.type === 'run.started') Object.assign(next, { status: 'running', attempt: event.attempt, error: null, finishedAt: null });
  if (event.type === 'run.finished') Object.assign(next, { status: event.status, error: event.error ?? null, finishedAt: event.at, owner: null });
  if (event.type === 'transcript.appended' && event.usage) {
    next.usage = { inputTokens: run.usage.inputTokens + event.usage.inputTokens, outputTokens: run.usage.outputTokens + event.usage.outputTokens };
  }
  return next;
}
