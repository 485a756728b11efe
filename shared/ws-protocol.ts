/**
 * Messages of serve mode's WebSocket (SPEC §1). JSON text frames only.
 *
 *   client → server  { kind: 'request', id, channel, payload }
 *   server → client  { kind: 'response', id, result }   the ApiResult envelope of request `id`
 *                    { kind: 'event', event }           every ApiEvent, to every client
 *
 * The socket lives at `WS_PATH` on the same host and port as the page, with the page's
 * `?token=` in its query string; the server refuses the upgrade without it (403, before
 * the handshake). A browser cannot read that status, so a client whose socket never
 * opens asks over plain HTTP: a page request with the same token answers 403 with the
 * `REFUSED_HEADER` when the server no longer takes it (a restart with `--new-token`).
 */
import type { ApiEvent, ApiResult } from './api';

export const WS_PATH = '/ws';
/** The query parameter carrying the access token, on the page URL and the socket URL. */
export const TOKEN_PARAM = 'token';
/** Set to `token` on a 403 that refused the token (not the Host or Origin). */
export const REFUSED_HEADER = 'x-waymark-refused';

/**
 * What a person is told when the server refuses a token, on the server's 403 page and in
 * the app when an open tab's socket is refused: what happened, and how to fix it.
 */
export const TOKEN_REFUSED = {
  title: 'This Waymark address is no longer valid',
  what: "The Waymark server refused this page's access token: it was restarted with a new token (waymark serve --new-token), or this link comes from an earlier server.",
  fix: 'Open the address that waymark serve printed in its terminal; it ends in ?token=…',
} as const;

/** The same, when an address carries no token at all. */
export const TOKEN_MISSING = {
  title: 'This Waymark address needs its access token',
  what: 'Every page of waymark serve is opened with the token the server printed, so that no other website or user can reach it.',
  fix: TOKEN_REFUSED.fix,
} as const;

export interface RequestMessage {
  kind: 'request';
  /** Chosen by the client, echoed on the response; unique among its pending requests. */
  id: number;
  channel: string;
  payload: unknown;
}

export interface ResponseMessage {
  kind: 'response';
  id: number;
  result: ApiResult<unknown>;
}

export interface EventMessage {
  kind: 'event';
  event: ApiEvent;
}

export type ClientMessage = RequestMessage;
export type ServerMessage = ResponseMessage | EventMessage;

/** Parses a client frame; null when it is not a well-formed request message. */
export function parseClientMessage(text: string): ClientMessage | null {
  const value = parseJson(text);
  if (!isRecord(value) || value.kind !== 'request') return null;
  if (!Number.isSafeInteger(value.id) || typeof value.channel !== 'string') return null;
  return { kind: 'request', id: value.id as number, channel: value.channel, payload: value.payload };
}

/** Parses a server frame; null when it is not a well-formed server message. */
export function parseServerMessage(text: string): ServerMessage | null {
  const value = parseJson(text);
  if (!isRecord(value)) return null;
  if (value.kind === 'response' && Number.isSafeInteger(value.id) && isRecord(value.result) && typeof value.result.ok === 'boolean') {
    return value as unknown as ResponseMessage;
  }
  if (value.kind === 'event' && isRecord(value.event) && typeof value.event.type === 'string') return value as unknown as EventMessage;
  return null;
}

/**
 * The socket URL for a page served by `waymark serve`: same host, `WS_PATH`, the page's
 * token. Null when the page URL carries no token.
 */
export function wsUrlForPage(pageUrl: string): string | null {
  let page: URL;
  try {
    page = new URL(pageUrl);
  } catch {
    return null;
  }
  const token = page.searchParams.get(TOKEN_PARAM);
  if (!token) return null;
  const scheme = page.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${page.host}${WS_PATH}?${TOKEN_PARAM}=${encodeURIComponent(token)}`;
}

/** The page address a socket URL belongs to (same host, `/`, same token): what the HTTP check asks. */
export function pageUrlForSocket(socketUrl: string): string | null {
  let socket: URL;
  try {
    socket = new URL(socketUrl);
  } catch {
    return null;
  }
  const scheme = socket.protocol === 'wss:' ? 'https:' : 'http:';
  return `${scheme}//${socket.host}/${socket.search}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
