/** Small encoders shared by the store implementations. */
import { createHash } from 'node:crypto';
import type { WaymarkErrorData } from '../../shared/errors';
import type { Budget } from '../../shared/events';
import { streamTail } from '../../shared/run-reducer';

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function encodeJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** Parses stored error JSON; damaged text degrades to a readable error, never a throw. */
export function decodeError(json: string | null): WaymarkErrorData | null {
  if (json === null) return null;
  try {
    const parsed = JSON.parse(json) as WaymarkErrorData | null;
    return parsed && typeof parsed.message === 'string' ? parsed : { code: 'INTERNAL', message: json };
  } catch {
    return { code: 'INTERNAL', message: json };
  }
}

export function decodeJson<T>(json: string, fallback: T): T {
  try {
    return JSON.parse(json) as T;
  } catch {
    return fallback;
  }
}

/** An attempt's budget as stored (NULL: none), and back. */
export function encodeBudget(budget: Budget | undefined): string | null {
  return budget ? JSON.stringify(budget) : null;
}

export function decodeBudget(json: string | null): Budget | null {
  if (json === null) return null;
  const parsed = decodeJson<Budget | null>(json, null);
  return parsed && typeof parsed === 'object' ? parsed : null;
}

/** Keeps the last characters of a stream: the one rule, shared with the run reducer. */
export const tail = streamTail;
