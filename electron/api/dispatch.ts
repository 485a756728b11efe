/**
 * The one wrapper every inbound request passes (STYLE rule 5), whatever the transport:
 * known channel, request parsed with the channel's zod schema, handler called, result
 * answered as an `ApiResult` envelope. Nothing a client sends can make it throw.
 * (Who may send at all — token, Origin, Host, sender — is the transport's check, made
 * before a message reaches this function.)
 */
import type * as z from 'zod';
import { isChannel, requests, type ApiResult } from '../../shared/api';
import { toErrorData, type WaymarkErrorData } from '../../shared/errors';
import type { Handlers } from './handlers';

export type Dispatch = (channel: unknown, payload: unknown) => Promise<ApiResult<unknown>>;

export interface DispatchOptions {
  /** Told about unexpected (INTERNAL) failures, for a log line. */
  onInternalError?: (channel: string, error: unknown) => void;
}

export function createDispatch(handlers: Handlers, options: DispatchOptions = {}): Dispatch {
  return async (channel, payload) => {
    try {
      if (!isChannel(channel)) return refuse(`unknown channel ${describe(channel)}`);
      const parsed = requests[channel].req.safeParse(payload ?? {});
      if (!parsed.success) return refuse(`${channel}: ${formatIssues(parsed.error.issues)}`);
      const handler = handlers[channel] as (req: unknown) => unknown;
      return { ok: true, value: await handler(parsed.data) };
    } catch (err) {
      const error = toErrorData(err);
      if (error.code === 'INTERNAL') {
        try {
          options.onInternalError?.(String(channel), err);
        } catch {
          // logging must not turn an answer into a crash
        }
      }
      return { ok: false, error };
    }
  };
}

function refuse(message: string): { ok: false; error: WaymarkErrorData } {
  return { ok: false, error: { code: 'INVALID_REQUEST', message } };
}

/** "limit: Too big: expected number to be <=500; runId: not a run id" */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, 5).map((i) => `${i.path.length > 0 ? i.path.map(String).join('.') : '(request)'}: ${i.message}`);
  return issues.length > shown.length ? `${shown.join('; ')}; and ${issues.length - shown.length} more` : shown.join('; ');
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 100)) : `of type ${value === null ? 'null' : typeof value}`;
}
