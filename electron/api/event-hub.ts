/**
 * Fans events out to the connected clients. Two sources:
 *  - the engine of this process: its events, live fields included, as they happen;
 *  - the database: runs executed by OTHER processes (a `waymark run` in a terminal, the
 *    desktop app) are tailed by polling `runsUpdatedSince` and forwarding the events a
 *    client has not been sent yet, so they show up live too.
 * A run seen for the first time also produces `{ type: 'runs.changed' }` so run lists
 * refresh. Events are forwarded in `seq` order per run, each at most once.
 */
import type { ApiEvent } from '../../shared/api';
import { isPersisted, type PersistedEvent } from '../../shared/events';
import type { Engine } from '../engine/engine';

export interface EventHub {
  /** Returns the disposer. */
  subscribe(listener: (event: ApiEvent) => void): () => void;
  /** Stops polling and drops every subscriber. */
  close(): void;
}

export interface EventHubOptions {
  engine: Engine;
  pollMs?: number;
  /** Told once per distinct message when polling the database fails (it keeps trying). */
  onError?: (message: string) => void;
}

export const DEFAULT_POLL_MS = 250;
/**
 * Runs updated this long before the newest change seen are looked at again: commits of
 * other processes may land with slightly older timestamps than ones already seen.
 */
const LOOKBACK_MS = 2_000;
/** Most events forwarded per run per poll; the rest follow on the next poll. */
const BATCH = 500;

export function createEventHub({ engine, pollMs = DEFAULT_POLL_MS, onError }: EventHubOptions): EventHub {
  const { store } = engine;
  const listeners = new Set<(event: ApiEvent) => void>();
  /** Highest seq of each run that clients have been sent (or that predates the hub). */
  const sent = new Map<string, number>();
  let cursor = 0;
  for (const row of store.runsUpdatedSince(-1)) {
    sent.set(row.id, row.lastSeq);
    cursor = Math.max(cursor, row.updatedAt);
  }
  const behind = new Set<string>();
  let lastError = '';

  const publish = (event: ApiEvent) => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch {
        // one failing subscriber must not starve the others
      }
    }
  };

  const forward = (event: PersistedEvent) => {
    const known = sent.get(event.runId);
    if (known !== undefined && event.seq <= known) return;
    sent.set(event.runId, event.seq);
    publish(event);
    if (known === undefined) publish({ type: 'runs.changed', runId: event.runId });
  };

  const offEngine = engine.onEvent((event) => {
    if (isPersisted(event)) forward(event);
    else publish(event);
  });

  const catchUp = (runId: string, lastSeq: number) => {
    if (engine.isActive(runId)) return; // this process emits those itself
    const from = sent.get(runId) ?? 0;
    if (from >= lastSeq) return;
    const events = store.eventsSince(runId, from, BATCH);
    for (const event of events) forward(event);
    if (events.length === BATCH) behind.add(runId);
  };

  const poll = () => {
    try {
      const rows = store.runsUpdatedSince(cursor - LOOKBACK_MS);
      const pending = [...behind];
      behind.clear();
      for (const runId of pending) catchUp(runId, Number.MAX_SAFE_INTEGER);
      for (const row of rows) {
        cursor = Math.max(cursor, row.updatedAt);
        catchUp(row.id, row.lastSeq);
      }
      lastError = '';
    } catch (err) {
      const message = `could not follow runs of other processes: ${err instanceof Error ? err.message : String(err)}`;
      if (message !== lastError) onError?.(message);
      lastError = message;
    }
  };

  const timer = setInterval(poll, pollMs);
  timer.unref();

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    close() {
      clearInterval(timer);
      offEngine();
      listeners.clear();
    },
  };
}
