/**
 * The one module that turns API events into store actions (STYLE rules 12 and 13).
 *
 * Events are queued and applied once per animation frame, in one batch: a model that
 * streams 200 tokens a second, or a 500-phase run, costs one state update per frame,
 * never one per token. Persisted events carry a per-run `seq`; the reducer drops those
 * at or below the snapshot's `lastSeq`. While the open run's snapshot is still loading,
 * its events are held back, so none is lost between subscribing and the snapshot.
 */
import type { ApiEvent } from '../../shared/api';
import { isPersisted, type PersistedEvent, type RunEvent } from '../../shared/events';
import type { LogChunk } from './live-logs-slice';
import type { StreamChunk } from './run-view-slice';
import type { WaymarkStore } from './store';

export interface EventPumpOptions {
  store: WaymarkStore;
  /** Runs `flush` before the next paint; tests pass a manual scheduler. */
  schedule?: (flush: () => void) => void;
  /** Runs appeared or changed in a way events do not describe (their ids): reload the runs list. */
  onRunsChanged?: (runIds: readonly string[]) => void;
  /** The open run finished: fetch its frontier and what a resume saved (a fresh snapshot). */
  onRunFinished?: (runId: string) => void;
  /** The user clicked a desktop notification about this run: show it. */
  onOpenRun?: (runId: string) => void;
}

export interface EventPump {
  /** The `onEvent` listener. */
  push(event: ApiEvent): void;
  /** Schedules a flush (after a snapshot arrived, to release held events). */
  wake(): void;
  /** Applies everything queued now. */
  flush(): void;
}

/** Events held for a run whose snapshot is loading, at most. */
const HOLD_LIMIT = 50_000;

export function createEventPump(options: EventPumpOptions): EventPump {
  const { store } = options;
  const schedule = options.schedule ?? frameScheduler;
  let queue: ApiEvent[] = [];
  let scheduled = false;

  const wake = () => {
    if (scheduled) return;
    scheduled = true;
    schedule(flush);
  };

  function flush(): void {
    scheduled = false;
    const batch = queue;
    queue = [];
    const state = store.getState();
    const loading = state.openRunId !== null && state.view === null ? state.openRunId : null;
    const persisted: PersistedEvent[] = [];
    const live: { event: RunEvent; at: number }[] = [];
    const changed = new Set<string>();
    for (const [at, event] of batch.entries()) {
      if (event.type === 'runs.changed') {
        changed.add(event.runId);
        continue;
      }
      if (event.type === 'notification.clicked') {
        options.onOpenRun?.(event.runId);
        continue;
      }
      if (event.runId === loading && event.type !== 'store.failed' && event.type !== 'store.recovered') {
        if (queue.length < HOLD_LIMIT) queue.push(event);
        continue;
      }
      if (isPersisted(event)) persisted.push(event);
      else live.push({ event, at });
    }
    if (persisted.length > 0) applyPersisted(persisted);
    if (live.length > 0) applyLive(live, streamCutoffs(batch));
    // A run.started means a new lease holder (a worker's claim, a resume elsewhere): events
    // do not carry owners, so the list (which shows them) is reloaded.
    for (const e of persisted) if (e.type === 'run.started') changed.add(e.runId);
    if (changed.size > 0) options.onRunsChanged?.([...changed]);
  }

  function applyPersisted(events: PersistedEvent[]): void {
    const s = store.getState();
    s.applyRunEvents(events);
    const openId = s.view?.runId;
    if (!openId) return;
    const mine = events.filter((e) => e.runId === openId);
    if (mine.length === 0) return;
    s.applyViewEvents(mine);
    s.applyTriesEvents(mine);
    const after = store.getState();
    for (const e of mine) {
      if (e.type === 'transcript.appended' && e.content !== undefined && e.phaseId === after.selectedPhaseId) {
        const attempt = after.view?.phases[e.phaseId]?.attempts ?? 0;
        after.transcriptAppended(openId, { phaseId: e.phaseId, index: e.index, attempt, role: e.role, content: e.content, usage: e.usage ?? null, at: e.at });
      }
    }
    if (mine.some((e) => e.type === 'run.finished')) options.onRunFinished?.(openId);
  }

  function applyLive(events: { event: RunEvent; at: number }[], cutoffs: Map<string, number>): void {
    const s = store.getState();
    const chunks: StreamChunk[] = [];
    const last = new Map<string, StreamChunk>();
    const logChunks: LogChunk[] = [];
    for (const { event: e, at } of events) {
      if (e.type === 'store.failed') {
        s.notify({ kind: 'store-failed', message: e.message, runId: e.runId });
        continue;
      }
      if (e.type === 'store.recovered') {
        s.clearNotices('store-failed', e.runId);
        continue;
      }
      if (e.runId !== s.openRunId || (e.type !== 'phase.delta' && e.type !== 'phase.log')) continue;
      if (e.type === 'phase.log') {
        // Every chunk, in order, with its try and time: the log view interleaves and times them.
        logChunks.push({ phaseId: e.phaseId, attempt: e.attempt ?? 0, stream: e.stream, text: e.text, at: e.at ?? Date.now() });
        continue;
      }
      const kind: StreamChunk['kind'] = 'text';
      const key = `${e.runId}\u0000${e.phaseId}\u0000${kind}`;
      if (at < (cutoffs.get(key) ?? -1)) continue;
      const chunk = last.get(key);
      if (chunk) chunk.text += e.text;
      else {
        const fresh: StreamChunk = { phaseId: e.phaseId, kind, text: e.text };
        last.set(key, fresh);
        chunks.push(fresh);
      }
    }
    if (chunks.length > 0 && s.openRunId) s.appendStreams(s.openRunId, chunks);
    if (logChunks.length > 0 && s.openRunId) s.appendLogChunks(s.openRunId, logChunks);
  }

  return {
    push(event) {
      queue.push(event);
      wake();
    },
    wake,
    flush,
  };
}

/**
 * Where, in a batch, each phase's live streams were reset: text when a model step landed
 * in the transcript, every stream when the phase started again. Chunks from before the
 * reset are already in the transcript (or belong to the old try), so they are dropped.
 */
function streamCutoffs(batch: readonly ApiEvent[]): Map<string, number> {
  const cutoffs = new Map<string, number>();
  batch.forEach((e, at) => {
    if (e.type === 'transcript.appended' && e.role === 'assistant') cutoffs.set(`${e.runId}\u0000${e.phaseId}\u0000text`, at);
    if (e.type === 'phase.started') for (const kind of ['text', 'stdout', 'stderr']) cutoffs.set(`${e.runId}\u0000${e.phaseId}\u0000${kind}`, at);
  });
  return cutoffs;
}

/**
 * Before the next paint; a timer backs it up because a hidden tab gets no animation
 * frames and would otherwise queue events without bound.
 */
export function frameScheduler(run: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    run();
  };
  const frame = requestAnimationFrame(once);
  const timer = setTimeout(once, 250);
}
