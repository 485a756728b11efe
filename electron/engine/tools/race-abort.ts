/**
 * Lets a phase end whatever its tool call is doing. A tool stuck in an operation that
 * cannot be cancelled (a file-system call waiting in Node's threadpool, e.g. behind
 * other stuck calls or on a hung network mount) must not keep the phase alive after
 * its signal aborts: the caller stops waiting at once and the call is abandoned.
 *
 * An abandoned call keeps running until its operation returns; it sees the aborted
 * signal at its next step and stops there (the file tools check it before every
 * system call). Nobody awaits it any more, so nothing records its result.
 */

const abandoned = new Set<Promise<unknown>>();

/** Resolves or rejects like `work`, or rejects with `signal.reason` as soon as it aborts. */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    abandon(work);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      abandon(work);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** How many abandoned tool calls in this process have not returned yet. */
export function abandonedToolCalls(): number {
  return abandoned.size;
}

function abandon(work: Promise<unknown>): void {
  abandoned.add(work);
  const settle = () => abandoned.delete(work);
  work.then(settle, settle);
}
