/**
 * Serve mode's transport (SPEC §1): one HTTP server on 127.0.0.1 serving the built
 * renderer, and the API over a WebSocket at `WS_PATH`. Every HTTP request and upgrade
 * passes `authorize` (token, Host, Origin) before anything else; every message then
 * passes the API server's one dispatch. Events go to every connected client.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { WS_PATH, parseClientMessage, type ServerMessage } from '../../shared/ws-protocol';
import type { ApiServer } from '../api/api-server';
import { authorize, newToken, tokenCookie, type AuthConfig } from './ws-auth';
import { sendRefusal } from './ws-refusal';
import { securityHeaders, sendText, serveStatic } from './ws-static';

export interface WsServerOptions {
  api: ApiServer;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** Defaults to a fresh random token. */
  token?: string;
  /** One line per notable problem (a client kicked for being too slow, ...). */
  log?: (line: string) => void;
}

export interface WsServer {
  /** The page URL, token included: what the user opens. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** Closes every connection and stops listening. */
  close(): Promise<void>;
}

export const HOST = '127.0.0.1';
/**
 * Largest request frame: flows.validate/save carry up to MAX_FLOW_BYTES (2 MiB) of
 * source, which JSON escaping can at most multiply by 6 (\u0001).
 */
const MAX_PAYLOAD = 13 * 1024 * 1024;
/** A client this far behind on events is dropped; it reconnects and reloads its snapshot. */
const MAX_BUFFERED = 16 * 1024 * 1024;
const PING_MS = 30_000;

export async function startWsServer(options: WsServerOptions): Promise<WsServer> {
  const token = options.token ?? newToken();
  const log = options.log ?? (() => {});
  const auth: AuthConfig = { port: 0, token };
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
  const alive = new WeakMap<WebSocket, boolean>();

  const http = createServer((req, res) => {
    try {
      handleHttp(req, res, auth, options.staticDir);
    } catch {
      safely(() => (res.headersSent ? res.destroy() : sendText(res, 500, 'internal error\n', 'text/plain; charset=utf-8')));
    }
  });
  http.on('clientError', (_err, socket) => safely(() => rejectSocket(socket, 400, 'Bad Request')));
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      const url = parseUrl(req.url);
      if (!url) return rejectSocket(socket, 400, 'Bad Request');
      const verdict = authorize(req, url, auth, false);
      if (!verdict.ok) return rejectSocket(socket, 403, 'Forbidden');
      if (url.pathname !== WS_PATH) return rejectSocket(socket, 404, 'Not Found');
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    } catch {
      safely(() => socket.destroy());
    }
  });

  const send = (ws: WebSocket, text: string) => {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED) {
      log('a browser client fell too far behind on events and was disconnected (it will reconnect)');
      ws.terminate();
      return;
    }
    ws.send(text, (err) => {
      if (err) ws.terminate();
    });
  };
  const sendMessage = (ws: WebSocket, message: ServerMessage) => {
    let text: string;
    try {
      text = JSON.stringify(message);
    } catch (err) {
      if (message.kind !== 'response') return;
      text = JSON.stringify({ kind: 'response', id: message.id, result: { ok: false, error: { code: 'INTERNAL', message: `the answer could not be encoded: ${String(err)}` } } });
    }
    send(ws, text);
  };

  wss.on('connection', (ws: WebSocket) => {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    ws.on('error', () => ws.terminate());
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return ws.close(1003, 'text frames only');
      void onMessage(ws, rawText(data));
    });
  });

  const onMessage = async (ws: WebSocket, text: string) => {
    const message = parseClientMessage(text);
    if (!message) {
      const id = idOf(text);
      if (id !== undefined) sendMessage(ws, { kind: 'response', id, result: { ok: false, error: { code: 'INVALID_REQUEST', message: 'malformed request message' } } });
      return;
    }
    const result = await options.api.request(message.channel, message.payload);
    sendMessage(ws, { kind: 'response', id: message.id, result });
  };

  const offEvents = options.api.subscribe((event) => {
    if (wss.clients.size === 0) return;
    const text = JSON.stringify({ kind: 'event', event } satisfies ServerMessage);
    for (const ws of wss.clients) send(ws, text);
  });

  const pinger = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.get(ws)) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      safely(() => ws.ping());
    }
  }, PING_MS);
  pinger.unref();

  await new Promise<void>((resolve, reject) => {
    // Nothing listens (the port is taken, say): undo what was set up, for a caller that tries another port.
    const failed = (err: Error) => {
      clearInterval(pinger);
      offEvents();
      wss.close();
      reject(err);
    };
    http.once('error', failed);
    http.listen(options.port ?? 0, HOST, () => {
      http.off('error', failed);
      resolve();
    });
  });
  const address = http.address();
  auth.port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://${HOST}:${auth.port}/?token=${token}`,
    port: auth.port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(pinger);
        offEvents();
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}

function handleHttp(req: IncomingMessage, res: ServerResponse, auth: AuthConfig, staticDir: string): void {
  const url = parseUrl(req.url);
  if (!url) return sendText(res, 400, 'bad request\n', 'text/plain; charset=utf-8');
  const verdict = authorize(req, url, auth, true);
  if (!verdict.ok) return sendRefusal(req, res, verdict.reason, auth.port);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return sendText(res, 405, 'method not allowed\n', 'text/plain; charset=utf-8', securityHeaders(auth.port));
  }
  const headers: Record<string, string> = verdict.tokenFromQuery ? { 'Set-Cookie': tokenCookie(auth.port, auth.token) } : {};
  serveStatic(req, res, url.pathname, { dir: staticDir, port: auth.port, headers });
}

/** Parses a request target ("/path?query"); null when it is not one. */
function parseUrl(target: string | undefined): URL | null {
  if (typeof target !== 'string' || !target.startsWith('/') || target.startsWith('//')) return null;
  try {
    return new URL(target, 'http://waymark.invalid');
  } catch {
    return null;
  }
}

function rejectSocket(socket: Duplex, status: number, text: string): void {
  if (!socket.writable) return void socket.destroy();
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length + 1}\r\n\r\n${text}\n`);
  setTimeout(() => socket.destroy(), 1_000).unref();
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function idOf(text: string): number | undefined {
  try {
    const value = JSON.parse(text) as { id?: unknown };
    return typeof value === 'object' && value !== null && Number.isSafeInteger(value.id) ? (value.id as number) : undefined;
  } catch {
    return undefined;
  }
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // the connection is already gone
  }
}
