/**
 * A real stuck file-system operation for tests: fills Node's libuv threadpool with
 * calls that block in the kernel (each opens a FIFO for reading, which waits until a
 * writer appears). Until `release()`, every file-system call this process makes waits
 * in the threadpool's queue and cannot be cancelled, as it would behind a hung network
 * mount. Linux/macOS (needs `mkfifo`).
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

export interface StuckThreadpool {
  /** Opens the writers, lets the blocked calls return, and closes everything. */
  release(): Promise<void>;
}

/** Node's threadpool size: UV_THREADPOOL_SIZE, default 4. */
export const THREADPOOL_SIZE = Number(process.env.UV_THREADPOOL_SIZE) || 4;

/** Blocks every threadpool thread; `dir` must exist and stay until `release()`. */
export function stickThreadpool(dir: string): StuckThreadpool {
  const fifos = Array.from({ length: THREADPOOL_SIZE }, (_, i) => join(dir, `stuck-${i}.fifo`));
  execFileSync('mkfifo', fifos);
  const readers: Promise<FileHandle>[] = fifos.map((fifo) => open(fifo, 'r'));
  let released: Promise<void> | undefined;
  return {
    release: () => (released ??= releaseAll(fifos, readers)),
  };
}

async function releaseAll(fifos: readonly string[], readers: readonly Promise<FileHandle>[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  const writers: number[] = [];
  for (const fifo of fifos) {
    // ENXIO until the reader's thread is inside open(); poll for it.
    for (;;) {
      try {
        writers.push(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENXIO' || Date.now() > deadline) throw err;
        await new Promise((r) => setImmediate(r));
      }
    }
  }
  for (const fd of writers) closeSync(fd);
  await Promise.all(readers.map(async (reader) => (await reader).close()));
}
