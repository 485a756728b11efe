/**
 * Fans events out to the connected clients. Two sources:
 *  - the engine of this process: its events, live fields included, as they happen;
 *  - the database: runs executed by OTHER processes (a `waymark run` in a terminal, the
 *    desktop app, a worker) are followed and the events a client has not been sent yet
 *    forwarded, so they show up live too. A store that pushes changes (`watch`,
 *    PostgreSQL LISTEN/NOTIFY) is followed without polling; SQLite is tailed by
 *    polling `runsUpdatedSince`.
 * A run seen for the first time also produces `{ type: 'runs.changed' }` so run lists
 * refresh. Events are forwarded in `seq` order per run, each at most once.
 */
import type { ApiEvent } from '../../shared/api';
import { createEmitter } from '../../shared/emitter';
import { isPersisted, type PersistedEvent } from '../../shared/events';
import type { Engine } from '../engine/engine';

export interface EventHub {
  /** Returns the disposer. */
  subscribe(listener: (event: ApiEvent) => void): () => void;
  /** Stops following the database and drops every subscriber. */
  close(): Promise<void>;
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

export async function createEventHub({ engine, pollMs = DEFAULT_POLL_MS, onError }: EventHubOptions): Promise<EventHub> {
  const { store } = engine;
  const subscribers = createEmitter<ApiEvent>();
  /** Highest seq of each run that clients have been sent (or that predates the hub). */
  const sent = new Map<string, number>();
  let cursor = 0;
  for (const row of await store.runsUpdatedSince(-1)) {
    sent.set(row.id, row.lastSeq);
    cursor = Math.max(cursor, row.updatedAt);
  }
  let lastError = '';
  let closed = false;

  // One failing subscriber must not starve the others: the emitter isolates each.
  const publish = (event: ApiEvent) => subscribers.emit(event);

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

  const reportError = (err: unknown) => {
    const message = `could not follow runs of other processes: ${err instanceof Error ? err.message : String(err)}`;
    if (message !== lastError) onError?.(message);
    lastError = message;
  };

  /** Reads a run's events clients have not been sent, a batch at a time; one reader per run. */
  const reading = new Map<string, Promise<void>>();
  const catchUp = (runId: string, lastSeq: number): Promise<void> => {
    if (engine.isActive(runId)) return Promise.resolve(); // this process emits those itself
    if ((sent.get(runId) ?? 0) >= lastSeq) return Promise.resolve();
    const previous = reading.get(runId) ?? Promise.resolve();
    const next = previous.then(async () => {
      for (;;) {
        if (closed) return;
        const events = await store.eventsSince(runId, sent.get(runId) ?? 0, BATCH);
        for (const event of events) forward(event);
        if (events.length < BATCH || (sent.get(runId) ?? 0) >= lastSeq) return;
      }
    });
    const settled = next.catch(reportError).finally(() => {
      if (reading.get(runId) === settled) reading.delete(runId);
    });
    reading.set(runId, settled);
    return settled;
  };

  let polling = false;
  const poll = async () => {
    if (polling || closed) return;
    polling = true;
    try {
      const rows = await store.runsUpdatedSince(cursor - LOOKBACK_MS);
      for (const row of rows) cursor = Math.max(cursor, row.updatedAt);
      await Promise.all(rows.map((row) => catchUp(row.id, row.lastSeq)));
      lastError = '';
    } catch (err) {
      reportError(err);
    } finally {
      polling = false;
    }
  };

  // A store that pushes changes (PostgreSQL LISTEN/NOTIFY) is followed without polling.
  let unwatch: (() => Promise<void>) | undefined;
  let timer: NodeJS.Timeout | undefined;
  if (store.watch) {
    unwatch = await store.watch((runId) => void catchUp(runId, Number.MAX_SAFE_INTEGER));
  } else {
    timer = setInterval(() => void poll(), pollMs);
    timer.unref();
  }

  return {
    subscribe: (listener) => subscribers.on(listener),
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      offEngine();
      subscribers.clear();
      await unwatch?.();
    },
  };
}
