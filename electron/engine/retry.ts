/**
 * Retry policy as data (STYLE rule 7). A phase's `retry:` overrides the defaults; every
 * try is recorded. Cancellation and shutdown are never retried.
 */
import { parseDuration } from '../../shared/duration';
import type { RetrySpec } from '../../shared/flow/schema';

export interface RetryPolicy {
  /** Total tries, the first included. */
  maxAttempts: number;
  /** Wait before the second try. */
  initialDelayMs: number;
  /** Each further wait is the previous one times this. */
  backoff: number;
  maxDelayMs: number;
}

/** No retry unless the flow asks for it: a phase failure is usually not transient. */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 1, initialDelayMs: 1_000, backoff: 2, maxDelayMs: 60_000 };

export function retryPolicy(spec: RetrySpec | undefined, fallback: RetrySpec | undefined): RetryPolicy {
  const s = spec ?? fallback;
  if (!s) return DEFAULT_RETRY;
  return {
    maxAttempts: s.attempts,
    initialDelayMs: s.delay !== undefined ? (parseDuration(s.delay) ?? DEFAULT_RETRY.initialDelayMs) : DEFAULT_RETRY.initialDelayMs,
    backoff: s.backoff ?? DEFAULT_RETRY.backoff,
    maxDelayMs: s.max_delay !== undefined ? (parseDuration(s.max_delay) ?? DEFAULT_RETRY.maxDelayMs) : DEFAULT_RETRY.maxDelayMs,
  };
}

/** Delay after failed try number `attempt` (1-based), exponential and capped. */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.backoff ** Math.max(0, attempt - 1));
}

/** Resolves after `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
