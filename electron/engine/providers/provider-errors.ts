/**
 * What went wrong with a model call, in one actionable line, and whether trying again
 * may help. `isTransient` is the single rule the retry loop follows: HTTP 408/409/425/
 * 429/5xx, connection resets/refusals, timeouts, a stream cut off after HTTP 200, and
 * provider "overloaded" errors. Malformed responses and other 4xx are not transient.
 */
import { APICallError } from 'ai';
import { formatDuration } from '../../../shared/duration';
import { networkCause } from './network-cause';
import type { ProviderTarget } from './provider-config';

const TRANSIENT_STATUS = new Set([408, 409, 425, 429]);
const TRANSIENT_PROVIDER_TYPES = new Set(['overloaded_error', 'api_error', 'rate_limit_error', 'server_error', 'timeout_error']);

/** Thrown by the agent step when a stream goes silent for too long. */
export class ModelIdleTimeout extends Error {
  constructor(readonly ms: number) {
    super(`no data from the model for ${formatDuration(ms)}`);
    this.name = 'ModelIdleTimeout';
  }
}

export function isTransient(err: unknown): boolean {
  if (err instanceof ModelIdleTimeout) return true;
  if (isMalformed(err)) return false;
  const status = APICallError.isInstance(err) ? err.statusCode : undefined;
  if (status !== undefined && status >= 300) return TRANSIENT_STATUS.has(status) || (status >= 500 && status !== 501 && status !== 505);
  // No status, or HTTP 2xx and then a failure: a stream that dies after HTTP 200 is an
  // APICallError with status 200, and only its cause chain tells it is a network failure.
  if (networkCause(err) !== undefined) return true;
  if (APICallError.isInstance(err)) return status === undefined && err.isRetryable;
  return TRANSIENT_PROVIDER_TYPES.has(providerErrorType(err) ?? '');
}

/** True when the provider answered with something that is not valid protocol JSON. */
export function isMalformed(err: unknown): boolean {
  const name = (err as { name?: unknown })?.name;
  if (name === 'AI_JSONParseError' || name === 'AI_TypeValidationError') return true;
  return APICallError.isInstance(err) && /^(JSON parsing failed|Type validation failed)/.test(err.message);
}

/** `Retry-After` (seconds or HTTP date) or `retry-after-ms`, in ms; undefined when absent. */
export function retryAfterMs(err: unknown, now = Date.now()): number | undefined {
  if (!APICallError.isInstance(err) || !err.responseHeaders) return undefined;
  const headers = Object.fromEntries(Object.entries(err.responseHeaders).map(([k, v]) => [k.toLowerCase(), v]));
  const ms = Number(headers['retry-after-ms']);
  if (headers['retry-after-ms'] !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers['retry-after']?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw) * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** One line, no stack, no raw body dump: what failed, where, and what to check. */
export function describeModelError(err: unknown, target: ProviderTarget): string {
  const who = `${target.provider} (${target.baseURL})`;
  if ((err as { name?: unknown })?.name === 'AI_NoOutputGeneratedError') return `${who} ended its response without any output; check that the base URL points to an ${apiName(target)} API`;
  if (err instanceof ModelIdleTimeout) return `${who} sent nothing for ${formatDuration(err.ms)}`;
  if (isMalformed(err)) return `${who} sent a malformed response (not valid JSON for its API); check that the base URL points to an ${apiName(target)} API`;
  const network = networkCause(err);
  if (network?.midResponse) return `the connection to ${target.baseURL} was closed mid-response (${network.detail})`;
  if (APICallError.isInstance(err) && err.statusCode !== undefined) {
    const detail = bodyMessage(err.responseBody) ?? short(err.message);
    return `${target.provider} returned HTTP ${err.statusCode}${detail ? `: ${detail}` : ''}${statusHint(err.statusCode, target)}`;
  }
  if (network !== undefined || (APICallError.isInstance(err) && err.isRetryable)) {
    const hint = target.provider === 'ollama' ? ' (is Ollama running? set OLLAMA_HOST if it listens elsewhere)' : '';
    return `cannot reach ${target.baseURL}: ${network?.reason ?? short(errorText(err).replace(/^Cannot connect to API:\s*/i, ''))}${hint}`;
  }
  const type = providerErrorType(err);
  if (type) return `${target.provider} reported ${type}: ${short(String((err as { message?: unknown }).message ?? ''))}`;
  return `${target.provider} call failed: ${short(errorText(err))}`;
}

function statusHint(status: number, target: ProviderTarget): string {
  if (status === 401 || status === 403) return target.keyEnv ? ` (check ${target.keyEnv})` : ' (the server requires credentials: set api_key_env on the provider)';
  if (status === 404) return ` (check the model name "${target.modelId}" and the base URL)`;
  if (status === 429) return ' (rate limited or out of quota)';
  return '';
}

function apiName(target: ProviderTarget): string {
  return target.api === 'anthropic' ? 'Anthropic Messages' : 'OpenAI-compatible chat completions';
}

/** The human message inside a JSON error body ({error: {message}} and variants). */
function bodyMessage(body: string | undefined): string | undefined {
  if (!body) return undefined;
  try {
    const json = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown; detail?: unknown };
    const candidate = typeof json.error === 'string' ? json.error : (json.error?.message ?? json.message ?? json.detail);
    return typeof candidate === 'string' && candidate.trim() ? short(candidate) : undefined;
  } catch {
    return /^\s*</.test(body) ? undefined : short(body);
  }
}

/** Anthropic-style stream errors arrive as plain objects `{type: 'overloaded_error', message}`. */
function providerErrorType(err: unknown): string | undefined {
  const type = (err as { type?: unknown } | null)?.type;
  return typeof type === 'string' && type.endsWith('_error') ? type : undefined;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function short(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
