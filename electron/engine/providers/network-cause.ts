/**
 * The network failure behind a model call error, found in its `cause` chain. undici and
 * the AI SDK wrap it several levels deep: a stream that dies after HTTP 200 arrives as
 * APICallError (statusCode 200, "Failed to process successful response") →
 * TypeError('terminated') → SocketError { code: 'UND_ERR_SOCKET', message: 'other side
 * closed' }. Classifying the outer error alone would call that a provider answer.
 */
import { APICallError } from 'ai';

export interface NetworkCause {
  /** What happened, for people: "connection reset". */
  reason: string;
  /** The innermost network error as `CODE: message` (or its message when it has no code). */
  detail: string;
  /** The server had started answering (HTTP 2xx, or a body read cut off): the response is incomplete. */
  midResponse: boolean;
}

/** Node and undici error codes that mean the connection failed or died. */
const NETWORK_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EAI_AGAIN: 'DNS lookup failed',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
  ERR_STREAM_PREMATURE_CLOSE: 'connection closed early',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CLOSED: 'connection closed',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
  UND_ERR_BODY_TIMEOUT: 'response body stalled',
};

/** Errors that carry no such code but still mean the connection died. */
const NETWORK_MESSAGES: readonly (readonly [RegExp, string])[] = [
  [/^terminated$/, 'connection closed mid-response'], // undici: the body stream was cut
  [/other side closed/i, 'connection closed by the server'],
  [/premature close/i, 'connection closed early'],
  [/socket hang up/i, 'connection closed by the server'],
];

const MAX_DEPTH = 8;

export function networkCause(err: unknown): NetworkCause | undefined {
  let found: { reason: string; detail: string } | undefined;
  let midResponse = false;
  for (const e of causeChain(err)) {
    if (APICallError.isInstance(e) && e.statusCode !== undefined && e.statusCode >= 200 && e.statusCode < 300) midResponse = true;
    const { code, message } = e as { code?: unknown; message?: unknown };
    const text = typeof message === 'string' ? message : '';
    if (text === 'terminated') midResponse = true;
    const reason = (typeof code === 'string' ? NETWORK_CODES[code] : undefined) ?? NETWORK_MESSAGES.find(([pattern]) => pattern.test(text))?.[1];
    // The innermost match is the most specific; keep overwriting while walking down.
    if (reason) found = { reason, detail: typeof code === 'string' ? [code, text].filter(Boolean).join(': ') : text };
  }
  return found && { ...found, midResponse };
}

function causeChain(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e: unknown = err; typeof e === 'object' && e !== null && chain.length < MAX_DEPTH && !chain.includes(e); e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}
