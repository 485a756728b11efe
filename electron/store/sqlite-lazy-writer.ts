/**
 * A writer thread started at the first write (SqliteStore.openToRead). A process that
 * only reads — `waymark runs`, `waymark show` — then never boots the thread (about as
 * long as the rest of its start-up, and `BEGIN IMMEDIATE` for the migration check, which
 * waits behind another process's write lock); one that finds something to reap starts
 * it when it writes. Requests keep their order: they all wait for the same start.
 */
import { WaymarkError } from '../../shared/errors';
import type { WriterClient } from './sqlite-writer-client';
import type { WriteRequest, WriteResults } from './sqlite-writer-protocol';
import type { Owner } from './types';

/** What the store asks of its writer thread. */
export type Writer = Pick<WriterClient, 'call' | 'keepAlive' | 'close'>;

export class LazyWriter implements Writer {
  private started: Promise<WriterClient> | undefined;
  private closed = false;

  constructor(private readonly start: () => Promise<WriterClient>) {}

  call<R extends WriteRequest>(request: R): Promise<WriteResults[R['op']]> {
    return this.client().then((writer) => writer.call(request));
  }

  keepAlive(runId: string, owner: Owner, everyMs: number, onLost: () => void): () => void {
    let stop: (() => void) | undefined;
    let stopped = false;
    this.client().then(
      (writer) => {
        if (!stopped) stop = writer.keepAlive(runId, owner, everyMs, onLost);
      },
      () => undefined, // the writes that follow report it
    );
    return () => {
      stopped = true;
      stop?.();
    };
  }

  /** Closes the thread if it was started (after the writes sent to it); later calls reject. */
  async close(): Promise<void> {
    this.closed = true;
    const writer = await this.started?.catch(() => undefined);
    await writer?.close();
  }

  private client(): Promise<WriterClient> {
    if (this.closed && !this.started) return Promise.reject(new WaymarkError('STORE_FAILED', 'the database is closed'));
    this.started ??= this.start();
    return this.started;
  }
}
