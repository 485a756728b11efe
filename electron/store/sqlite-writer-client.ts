/**
 * The calling side of the writer thread: starts it, sends requests, and settles each
 * request's promise with the thread's reply. The thread keeps the process alive only
 * while requests are outstanding (so an awaited write is never cut off by the process
 * running out of other work), never for its keep-alive timers alone.
 */
import { Worker } from 'node:worker_threads';
import { WaymarkError } from '../../shared/errors';
import { fromWire, type FromWriter, type ToWriter, type WriteRequest, type WriteResults, type WriterInit } from './sqlite-writer-protocol';
import { writerScript } from './sqlite-writer-script';
import type { Owner } from './types';

interface Waiting {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

type Sendable = Exclude<ToWriter, { kind: 'request' | 'close' }>;

export class WriterClient {
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private readonly onLost = new Map<number, () => void>();
  /** Set once the thread is gone (crashed, or closed): every later call rejects with it. */
  private stopped: Error | undefined;
  private closing: Promise<void> | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: FromWriter) => this.receive(message));
    worker.on('error', (err) => this.stop(new WaymarkError('STORE_FAILED', `the database writer thread failed: ${err.message}`)));
    worker.on('exit', () => this.stop(new WaymarkError('STORE_FAILED', 'the database writer thread has stopped')));
    worker.unref();
  }

  /** Starts the thread; resolves once the database is open and migrated. */
  static async start(init: WriterInit): Promise<WriterClient> {
    const script = await writerScript();
    // No execArgv of ours (a tsx loader, inspector flags): the thread runs plain CommonJS.
    const options = { workerData: init, execArgv: [] };
    const worker = script.kind === 'file' ? new Worker(script.path, options) : new Worker(script.code, { ...options, eval: true });
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error) => {
        worker.off('message', first);
        void worker.terminate();
        reject(err);
      };
      const first = (message: FromWriter) => {
        if (message.kind === 'ready') {
          worker.off('error', fail);
          worker.off('exit', exited);
          return resolve();
        }
        if (message.kind === 'open-failed') fail(fromWire(message.error));
      };
      const exited = () => fail(new WaymarkError('STORE_FAILED', `the database writer thread for ${init.path} stopped while opening it`));
      worker.on('message', first).once('error', fail).once('exit', exited);
    });
    worker.removeAllListeners('message');
    return new WriterClient(worker);
  }

  call<R extends WriteRequest>(request: R): Promise<WriteResults[R['op']]> {
    return this.send((id) => ({ kind: 'request', id, request })) as Promise<WriteResults[R['op']]>;
  }

  /** Heartbeats `runId` every `everyMs` on the writer thread; `onLost` once it is owned by someone else. */
  keepAlive(runId: string, owner: Owner, everyMs: number, onLost: () => void): () => void {
    const id = this.nextId++;
    if (this.stopped || this.closing) return () => undefined;
    this.onLost.set(id, onLost);
    this.post({ kind: 'keep-alive', id, runId, owner, everyMs });
    return () => {
      if (this.onLost.delete(id) && !this.stopped) this.post({ kind: 'stop-keep-alive', id });
    };
  }

  /** Waits for every request sent before, closes the connection, ends the thread. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.onLost.clear();
      if (!this.stopped) await this.send((id) => ({ kind: 'close', id }), true).catch(() => undefined);
      await this.worker.terminate();
    })();
    return this.closing;
  }

  private send(message: (id: number) => Extract<ToWriter, { kind: 'request' | 'close' }>, closing = false): Promise<unknown> {
    if (this.stopped) return Promise.reject(this.stopped);
    if (this.closing && !closing) return Promise.reject(new WaymarkError('STORE_FAILED', 'the database is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.worker.postMessage(message(id)); // throws (rejecting) for a value that cannot cross threads
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(id, { resolve, reject });
    });
  }

  private post(message: Sendable): void {
    this.worker.postMessage(message);
  }

  private receive(message: FromWriter): void {
    if (message.kind === 'lease-lost') {
      const onLost = this.onLost.get(message.id);
      this.onLost.delete(message.id);
      return onLost?.();
    }
    if (message.kind !== 'reply') return;
    const waiting = this.waiting.get(message.id);
    this.waiting.delete(message.id);
    if (this.waiting.size === 0) this.worker.unref();
    if (message.ok) waiting?.resolve(message.value);
    else waiting?.reject(fromWire(message.error));
  }

  private stop(error: Error): void {
    this.stopped ??= error;
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
    this.onLost.clear();
  }
}
