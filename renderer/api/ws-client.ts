/**
 * The WaymarkApi over serve mode's WebSocket (shared/ws-protocol.ts), for the renderer
 * running in a browser. One method per channel, generated from the contract table.
 *
 * The socket reconnects by itself with growing delays. Requests made while it is down
 * wait and are sent once it is back; requests already sent when it drops are rejected
 * (retryable), since the server may or may not have acted on them. Events sent while
 * the socket was down are lost: when the status returns to 'open' after 'reconnecting',
 * reload the snapshots you show (the run list, the open run's `runs.get`).
 *
 * A socket that closes before it opened may have been refused for its token (the server
 * was restarted with `--new-token`); a browser cannot see the 403, so the client asks
 * the server over HTTP. When the token is refused the status becomes 'refused' for good:
 * retrying cannot help, and every request fails with UNAUTHORIZED and the explanation.
 */
import { ApiError, type ApiEvent, type ApiResult, type Channel, type WaymarkApi } from '../../shared/api';
import { createApiClient } from '../../shared/api-client';
import { createEmitter } from '../../shared/emitter';
import type { WaymarkErrorData } from '../../shared/errors';
import { REFUSED_HEADER, TOKEN_REFUSED, pageUrlForSocket, parseServerMessage, type RequestMessage } from '../../shared/ws-protocol';

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'refused' | 'closed';

export type WsApi = WaymarkApi & {
  /** The connection now. */
  readonly status: ConnectionStatus;
  /** Called on every status change; returns the disposer. */
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
  /** Closes the socket for good; pending requests are rejected. */
  close(): void;
};

/** The part of the browser's WebSocket this client uses (so tests can pass the `ws` package's). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export interface WsApiOptions {
  /** Defaults to the global WebSocket. */
  WebSocket?: new (url: string) => SocketLike;
  /** First reconnect delay; doubles up to `maxDelayMs`. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Defaults to the global fetch; used to ask whether the server still takes the token. */
  fetch?: (url: string, init: RequestInit) => Promise<Pick<Response, 'status' | 'headers'>>;
}

/** How long the HTTP token check may take before the client just keeps reconnecting. */
const CHECK_TIMEOUT_MS = 5_000;

const OPEN = 1;

interface Pending {
  channel: Channel;
  payload: unknown;
  sent: boolean;
  resolve: (result: ApiResult<unknown>) => void;
}

export function createWsApi(url: string, options: WsApiOptions = {}): WsApi {
  const Socket = options.WebSocket ?? (globalThis.WebSocket as unknown as new (url: string) => SocketLike);
  const minDelay = options.minDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 5_000;
  const fetchFn = options.fetch ?? globalThis.fetch?.bind(globalThis);
  const pending = new Map<number, Pending>();
  const events = createEmitter<ApiEvent>();
  const statuses = createEmitter<ConnectionStatus>();
  let status: ConnectionStatus = 'connecting';
  let socket: SocketLike | null = null;
  let nextId = 1;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let checking = false;

  const setStatus = (next: ConnectionStatus) => {
    if (next === status) return;
    status = next;
    statuses.emit(next);
  };
  /** 'closed' and 'refused' are final: no reconnecting, every request answered at once. */
  const ended = () => status === 'closed' || status === 'refused';

  const transmit = (id: number, entry: Pending) => {
    if (!socket || socket.readyState !== OPEN) return;
    const message: RequestMessage = { kind: 'request', id, channel: entry.channel, payload: entry.payload };
    try {
      socket.send(JSON.stringify(message));
      entry.sent = true;
    } catch (err) {
      pending.delete(id);
      entry.resolve(failure('INVALID_REQUEST', `the request could not be sent: ${String(err)}`));
    }
  };

  const onMessage = (data: unknown) => {
    if (typeof data !== 'string') return;
    const message = parseServerMessage(data);
    if (!message) return;
    if (message.kind === 'event') {
      events.emit(message.event);
      return;
    }
    const entry = pending.get(message.id);
    if (!entry) return;
    pending.delete(message.id);
    entry.resolve(message.result);
  };

  /** Ends the connection for good: the server refused the token. */
  const refuse = () => {
    if (ended()) return;
    setStatus('refused');
    if (timer !== undefined) clearTimeout(timer);
    const ws = socket;
    socket = null;
    safely(() => ws?.close(1000, 'token refused'));
    for (const entry of pending.values()) entry.resolve(refusedFailure());
    pending.clear();
  };

  /** Asks over HTTP whether the server refuses this token; anything else (down, slow) keeps reconnecting. */
  const checkToken = async () => {
    const page = pageUrlForSocket(url);
    if (checking || !fetchFn || page === null) return;
    checking = true;
    try {
      const res = await fetchFn(page, { method: 'HEAD', credentials: 'omit', cache: 'no-store', redirect: 'manual', signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
      if (res.status === 403 && res.headers.get(REFUSED_HEADER) === 'token') refuse();
    } catch {
      // the server is not reachable (yet): reconnecting goes on
    } finally {
      checking = false;
    }
  };

  const onDown = (opened: boolean) => {
    socket = null;
    for (const [id, entry] of pending) {
      if (!entry.sent) continue;
      pending.delete(id);
      entry.resolve(failure('INTERNAL', 'the connection to the Waymark server was lost before it answered; try again', true));
    }
    if (ended()) return;
    if (!opened) void checkToken();
    setStatus('reconnecting');
    const delay = Math.min(maxDelay, minDelay * 2 ** failures) * (0.75 + Math.random() / 2);
    failures += 1;
    timer = setTimeout(connect, delay);
  };

  function connect(): void {
    timer = undefined;
    if (ended()) return;
    let ws: SocketLike;
    try {
      ws = new Socket(url);
    } catch {
      onDown(false);
      return;
    }
    socket = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      failures = 0;
      setStatus('open');
      for (const [id, entry] of pending) if (!entry.sent) transmit(id, entry);
    };
    ws.onmessage = (event) => onMessage(event.data);
    ws.onerror = () => {};
    ws.onclose = () => {
      if (socket === ws) onDown(opened);
    };
  }

  const request = (channel: Channel, payload: unknown) =>
    new Promise<ApiResult<unknown>>((resolve) => {
      if (status === 'closed') return resolve(failure('INTERNAL', 'the Waymark connection is closed'));
      if (status === 'refused') return resolve(refusedFailure());
      const id = nextId++;
      const entry: Pending = { channel, payload, sent: false, resolve };
      pending.set(id, entry);
      transmit(id, entry);
    });

  const api = createApiClient(request, events.on);

  connect();

  const client = {
    ...api,
    onStatus: statuses.on,
    close() {
      if (status === 'closed') return;
      setStatus('closed');
      if (timer !== undefined) clearTimeout(timer);
      const ws = socket;
      socket = null;
      safely(() => ws?.close(1000, 'closed by the app'));
      for (const entry of pending.values()) entry.resolve(failure('INTERNAL', 'the Waymark connection was closed'));
      pending.clear();
    },
  };
  return Object.defineProperty(client, 'status', { get: () => status, enumerable: true }) as WsApi;
}

export { ApiError };

function failure(code: WaymarkErrorData['code'], message: string, retryable = false): ApiResult<never> {
  return { ok: false, error: { code, message, ...(retryable ? { retryable: true } : {}) } };
}

function refusedFailure(): ApiResult<never> {
  return failure('UNAUTHORIZED', `${TOKEN_REFUSED.what} ${TOKEN_REFUSED.fix}`);
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // the socket is already gone
  }
}
