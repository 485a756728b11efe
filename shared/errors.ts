/**
 * Serialisable errors with codes. Compare `code`, never `instanceof`: errors cross IPC,
 * WebSocket and the database, and only plain data survives those trips.
 */

export const ERROR_CODES = [
  'FLOW_INVALID',
  'FLOW_NOT_FOUND',
  'FLOW_CHANGED',
  'INPUT_MISSING',
  'USAGE',
  'RUN_NOT_FOUND',
  'RUN_NOT_RESUMABLE',
  'RUN_OWNED',
  'LEASE_LOST',
  /** A dead owner's command could not be stopped, so its phase is not run again beside it. */
  'ORPHAN_RUNNING',
  'PHASE_FAILED',
  'PHASE_TIMEOUT',
  'COMMAND_FAILED',
  'STEP_BUDGET_EXHAUSTED',
  /** The run's spending budget (flow `budget:`) is reached: the run waits for a higher one. */
  'BUDGET_REACHED',
  /** A reviewer rejected an approval phase. */
  'APPROVAL_REJECTED',
  /** The approval phase is not waiting for a decision (already decided, or not an approval). */
  'APPROVAL_NOT_WAITING',
  'TOOL_FAILED',
  'SANDBOX_UNAVAILABLE',
  'PROVIDER_TRANSIENT',
  'PROVIDER_ERROR',
  'PROVIDER_CONFIG',
  'MODEL_OUTPUT_TRUNCATED',
  'CHECKPOINT_CORRUPT',
  'STORE_FAILED',
  'DATABASE_TOO_NEW',
  'DATABASE_NOT_FOUND',
  'INTERRUPTED',
  'CANCELLED',
  'UNAUTHORIZED',
  'INVALID_REQUEST',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Where an error points to: a place in a flow file and/or a phase. */
export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
  phaseId?: string;
}

/** The wire and database shape of every error Waymark reports. */
export interface WaymarkErrorData {
  code: ErrorCode;
  message: string;
  where?: ErrorLocation;
  /** True when trying the same thing again may succeed (HTTP 429, 5xx, resets). */
  retryable?: boolean;
}

/** An Error carrying a code; `toErrorData` turns it (or anything thrown) into plain data. */
export class WaymarkError extends Error {
  readonly code: ErrorCode;
  readonly where?: ErrorLocation;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: { where?: ErrorLocation; retryable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WaymarkError';
    this.code = code;
    this.where = options.where;
    this.retryable = options.retryable ?? false;
  }

  toData(): WaymarkErrorData {
    return {
      code: this.code,
      message: this.message,
      ...(this.where ? { where: this.where } : {}),
      ...(this.retryable ? { retryable: true } : {}),
    };
  }
}

export function hasErrorCode(err: unknown, code: ErrorCode): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Normalises anything thrown into `WaymarkErrorData`; unknown errors become `fallback`. */
export function toErrorData(err: unknown, fallback: ErrorCode = 'INTERNAL'): WaymarkErrorData {
  if (err instanceof WaymarkError) return err.toData();
  if (typeof err === 'object' && err !== null) {
    const e = err as { code?: unknown; message?: unknown; where?: ErrorLocation; retryable?: unknown };
    if (isErrorCode(e.code) && typeof e.message === 'string') {
      return { code: e.code, message: e.message, ...(e.where ? { where: e.where } : {}), ...(e.retryable === true ? { retryable: true } : {}) };
    }
    if (typeof e.message === 'string') return { code: fallback, message: e.message };
  }
  return { code: fallback, message: String(err) };
}

/** "file:line:column: message" — the one-line form used by the CLI and logs. */
export function formatError(error: WaymarkErrorData): string {
  const w = error.where;
  if (!w) return error.message;
  const place = w.file ? [w.file, w.line, w.column].filter((p) => p !== undefined).join(':') : '';
  if (!place || error.message.startsWith(w.file as string)) return error.message; // already located
  return `${place}: ${error.message}`;
}
