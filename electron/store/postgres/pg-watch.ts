/**
 * Live change notifications (SPEC §7: the monitor follows other processes' runs without
 * polling the tables). Every transaction that writes facts of a run calls
 * `pg_notify(channel, runId)`, which PostgreSQL delivers to listeners only if it commits.
 *
 * A dedicated client (not one from the pool, which would hand it to queries) LISTENs.
 * When its connection drops it reconnects with backoff, and because notifications sent
 * while it was away are lost, it then reports the runs changed since shortly before the
 * drop (`catchUp`), so a watcher never silently misses a commit.
 */
import pg from 'pg';
import { sha256 } from '../codec';
import { clientConfig } from './pg-pool';

export const RECONNECT_MIN_MS = 100;
export const RECONNECT_MAX_MS = 5_000;
/**
 * How far before a detected drop the catch-up looks: a connection can be dead a while
 * before the client notices, and other machines' clocks (which stamp `updated_at`) may
 * run behind ours. Reporting a run twice is harmless: watchers re-read from their seq.
 */
export const CATCH_UP_MARGIN_MS = 5 * 60_000;

/**
 * The channel of a schema's runs. Channels are database-wide, so each schema gets its
 * own: stores on other schemas of the same database never wake this one's watchers.
 */
export function channelFor(schema: string): string {
  if (schema === 'public') return 'waymark_runs';
  const name = `waymark_runs_${schema}`;
  // Channel names are identifiers: at most 63 bytes.
  return Buffer.byteLength(name, 'utf8') <= 63 ? name : `waymark_runs_${sha256(schema).slice(0, 40)}`;
}

export interface ListenOptions {
  url: string;
  channel: string;
  /** Called on the listening connection's event: it must not throw (as any event listener). */
  onChange: (runId: string) => void;
  /** Ids of runs changed after `since` (ms epoch): `runsUpdatedSince` of the store. */
  catchUp: (since: number) => Promise<string[]>;
}

/**
 * Listens until the returned disposer is called. Resolves once LISTEN is in place (a
 * first connection failure rejects); later failures are retried forever with backoff.
 */
export async function listen(options: ListenOptions): Promise<() => Promise<void>> {
  const { channel, onChange } = options;
  let client: pg.Client | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let delay = RECONNECT_MIN_MS;
  let lostAt: number | undefined;

  const connect = async (): Promise<void> => {
    const c = new pg.Client(clientConfig(options.url));
    c.on('notification', (msg) => {
      if (msg.channel === channel && msg.payload) onChange(msg.payload);
    });
    c.on('error', () => lost(c));
    c.on('end', () => lost(c));
    try {
      await c.connect();
      await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (err) {
      await c.end().catch(() => undefined);
      throw err;
    }
    if (stopped) {
      await c.end().catch(() => undefined);
      return;
    }
    client = c;
  };

  const lost = (c: pg.Client): void => {
    if (client !== c || stopped) return;
    client = undefined;
    lostAt ??= Date.now();
    void c.end().catch(() => undefined);
    retryLater();
  };

  const retryLater = (): void => {
    timer = setTimeout(() => void reconnect(), delay);
    delay = Math.min(delay * 2, RECONNECT_MAX_MS);
  };

  const reconnect = async (): Promise<void> => {
    timer = undefined;
    if (stopped) return;
    let changed: string[] = [];
    try {
      await connect();
      if (lostAt !== undefined && !stopped) changed = await options.catchUp(lostAt - CATCH_UP_MARGIN_MS);
      lostAt = undefined;
      delay = RECONNECT_MIN_MS;
    } catch {
      // Still unreachable, or the catch-up failed: drop this connection and try again
      // later; `lostAt` stays, so the catch-up still covers the whole gap.
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
      if (!stopped) retryLater();
      return;
    }
    for (const runId of changed) onChange(runId);
  };

  await connect();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    const c = client;
    client = undefined;
    if (!c) return;
    await c.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => undefined);
    await c.end().catch(() => undefined);
  };
}
