/**
 * Retry policy as data (STYLE rule 7). A phase's `retry:` overrides the defaults; every
 * try is recorded. Cancellation and shutdown are never retried, and `isPhaseRetryable`
 * alone decides which failures a `retry:` may try again.
 */
import { parseDuration } from '../../shared/duration';
import type { ErrorCode, WaymarkErrorData } from '../../shared/errors';
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

/**
 * Whether a phase `retry:` may run the phase again after a failure with this code.
 * `false`: the same definition, inputs and environment fail the same way (a missing
 * key, an invalid flow, a missing input, max_steps, an answer cut off at the output
 * limit, no sandbox), or the failure is not the phase's (cancellation, the run's lease,
 * the store). `true`: the next try may go differently: a command's exit code, a
 * timeout, a provider that failed or answered badly, a model that got stuck on a tool.
 * Every code is listed, so a new one needs a decision here.
 */
export const PHASE_RETRY_BY_CODE = {
  FLOW_INVALID: false,
  FLOW_NOT_FOUND: false,
  FLOW_CHANGED: false,
  INPUT_MISSING: false,
  USAGE: false,
  RUN_NOT_FOUND: false,
  RUN_NOT_RESUMABLE: false,
  RUN_OWNED: false,
  LEASE_LOST: false,
  ORPHAN_RUNNING: false,
  PHASE_FAILED: true,
  PHASE_TIMEOUT: true,
  COMMAND_FAILED: true,
  STEP_BUDGET_EXHAUSTED: false,
  BUDGET_REACHED: false,
  APPROVAL_REJECTED: false,
  APPROVAL_NOT_WAITING: false,
  TOOL_FAILED: true,
  SANDBOX_UNAVAILABLE: false,
  PROVIDER_TRANSIENT: true,
  PROVIDER_ERROR: true,
  PROVIDER_CONFIG: false,
  MODEL_OUTPUT_TRUNCATED: false,
  CHECKPOINT_CORRUPT: false,
  STORE_FAILED: false,
  DATABASE_TOO_NEW: false,
  DATABASE_NOT_FOUND: false,
  INTERRUPTED: false,
  CANCELLED: false,
  UNAUTHORIZED: false,
  INVALID_REQUEST: false,
  INTERNAL: true,
} as const satisfies Record<ErrorCode, boolean>;

/** The one predicate the scheduler asks before retrying a failed phase try. */
export function isPhaseRetryable(error: Pick<WaymarkErrorData, 'code'>): boolean {
  return PHASE_RETRY_BY_CODE[error.code];
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
