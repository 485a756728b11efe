/**
 * The writer thread of a SqliteStore (entry point of a node:worker_threads Worker).
 * It owns the database's write connection: opened with the usual pragmas and migrated
 * here, once, statements prepared once; every write request goes through group commit
 * (group-commit.ts), so fsyncs and waits for another process's lock block this thread,
 * never the caller's event loop.
 *
 * It also keeps leases alive: a run's heartbeat is written on this thread's own timer,
 * so it keeps beating while the calling thread is busy with long synchronous work.
 *
 * Bundled on its own: to dist/electron/sqlite-writer.cjs for the desktop app
 * (scripts/build-electron.mjs), in memory when run from source (sqlite-writer-script.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BUSY_TIMEOUT_MS, openDatabase } from './database';
import { GroupCommit, type Outcome } from './group-commit';
import { prepareStatements } from './sqlite-statements';
import { toWire, type FromWriter, type ToWriter, type WriterInit } from './sqlite-writer-protocol';
import { SqliteWrites } from './sqlite-writes';

const port = parentPort;
if (!port) throw new Error('sqlite-writer-thread.ts runs as a worker thread of SqliteStore');
const post = (message: FromWriter): void => port.postMessage(message);

function start(init: WriterInit): GroupCommit | undefined {
  try {
    const db = openDatabase(init.path, init.options);
    return new GroupCommit(new SqliteWrites(db, prepareStatements(db)), BUSY_TIMEOUT_MS);
  } catch (err) {
    post({ kind: 'open-failed', error: toWire(err) });
    return undefined;
  }
}

const group = start(workerData as WriterInit);
if (group) {
  const keepAlives = new Map<number, NodeJS.Timeout>();
  const stopKeepAlive = (id: number) => {
    clearInterval(keepAlives.get(id));
    keepAlives.delete(id);
  };
  const reply = (id: number) => (outcome: Outcome) =>
    post(outcome.ok ? { kind: 'reply', id, ok: true, value: outcome.value } : { kind: 'reply', id, ok: false, error: toWire(outcome.error) });

  port.on('message', (message: ToWriter) => {
    switch (message.kind) {
      case 'request':
        return group.submit(message.request, reply(message.id));
      case 'keep-alive': {
        const { id, runId, owner } = message;
        // Stamped with this thread's clock. A failed beat (database locked) is not a lost
        // lease: the lease tolerates many missed beats.
        const beat = () =>
          group.submit({ op: 'heartbeat', runId, owner, now: Date.now() }, (outcome) => {
            if (!outcome.ok || outcome.value !== false || !keepAlives.has(id)) return;
            stopKeepAlive(id);
            post({ kind: 'lease-lost', id });
          });
        keepAlives.set(id, setInterval(beat, message.everyMs));
        return;
      }
      case 'stop-keep-alive':
        return stopKeepAlive(message.id);
      case 'close': {
        for (const id of [...keepAlives.keys()]) stopKeepAlive(id);
        group.drain(); // every request sent before `close` is answered before it
        group.close();
        post({ kind: 'reply', id: message.id, ok: true, value: undefined });
        port.close();
        return;
      }
    }
  });
  post({ kind: 'ready' });
}
