/**
 * Retrying one model call (STYLE rule 7: policy as data). Only what `isTransient`
 * accepts is retried; the wait is exponential, or the server's `Retry-After` when it
 * sends one (capped). An abort of the phase signal is never retried.
 */
import { backoffDelay, sleep, type RetryPolicy } from '../retry';
import { isTransient, retryAfterMs } from './provider-errors';

export interface ModelRetryPolicy extends RetryPolicy {
  /** A server's Retry-After longer than this is cut to it. */
  maxRetryAfterMs: number;
  /** A streaming response that sends nothing for this long is abandoned (and retried). */
  idleTimeoutMs: number;
}

/**
 * Defaults: 5 tries, waits of 1s, 2s, 4s, 8s (at most 30s each); Retry-After honoured up
 * to 60s; a stream silent for 5 minutes counts as a transient failure.
 */
export const MODEL_RETRY: ModelRetryPolicy = {
  maxAttempts: 5,
  initialDelayMs: 1_000,
  backoff: 2,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
  idleTimeoutMs: 300_000,
};

export interface RetryNotice {
  error: unknown;
  /** The try that failed, 1-based. */
  failedTry: number;
  delayMs: number;
  maxTries: number;
}

export class RetriesExhausted extends Error {
  constructor(
    readonly lastError: unknown,
    readonly tries: number,
  ) {
    super('model call retries exhausted');
    this.name = 'RetriesExhausted';
  }
}

/** The wait before the try after `failedTry`. */
export function retryDelay(policy: ModelRetryPolicy, failedTry: number, err: unknown, now = Date.now()): number {
  const fromServer = retryAfterMs(err, now);
  if (fromServer !== undefined) return Math.min(fromServer, policy.maxRetryAfterMs);
  return backoffDelay(policy, failedTry);
}

/**
 * Calls `call` until it succeeds, a non-transient error occurs (rethrown as is), or the
 * tries run out (RetriesExhausted). `onRetry` runs before each wait, e.g. to record it.
 */
export async function withModelRetry<T>(policy: ModelRetryPolicy, signal: AbortSignal, call: () => Promise<T>, onRetry: (notice: RetryNotice) => void): Promise<T> {
  for (let tryNumber = 1; ; tryNumber++) {
    try {
      return await call();
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      if (!isTransient(err)) throw err;
      if (tryNumber >= policy.maxAttempts) throw new RetriesExhausted(err, tryNumber);
      const delayMs = retryDelay(policy, tryNumber, err);
      onRetry({ error: err, failedTry: tryNumber, delayMs, maxTries: policy.maxAttempts });
      await sleep(delayMs, signal);
    }
  }
}
