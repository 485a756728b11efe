/**
 * Who may talk to `waymark serve`: every HTTP request and every WebSocket upgrade must
 * carry the server's random token, name this server in its Host header (a defence
 * against DNS rebinding) and, when it has an Origin, come from this server's own pages.
 * Checked before anything else runs.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TOKEN_PARAM } from '../../shared/ws-protocol';

export interface AuthConfig {
  port: number;
  token: string;
}

/** Why a request was refused: a foreign Host or Origin, or a token that is missing or not this server's. */
export type RefusalReason = 'host' | 'origin' | 'token-missing' | 'token-wrong';

export type AuthVerdict = { ok: true; tokenFromQuery: boolean } | { ok: false; reason: RefusalReason };

/** 128 random bits, hex. */
export function newToken(): string {
  return randomBytes(16).toString('hex');
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function allowedOrigins(port: number): string[] {
  return allowedHosts(port).map((h) => `http://${h}`);
}

/** The cookie carrying the token for page assets; named per port, as cookies ignore ports. */
export function cookieName(port: number): string {
  return `waymark_token_${port}`;
}

/**
 * Checks Host, Origin and token. `allowCookie`: page assets may prove the token with the
 * cookie set on the first page load; WebSocket upgrades must carry it in the query.
 */
export function authorize(req: IncomingMessage, url: URL, config: AuthConfig, allowCookie: boolean): AuthVerdict {
  const host = req.headers.host;
  if (typeof host !== 'string' || !allowedHosts(config.port).includes(host.toLowerCase())) return { ok: false, reason: 'host' };
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedOrigins(config.port).includes(String(origin).toLowerCase())) return { ok: false, reason: 'origin' };
  const fromQuery = url.searchParams.get(TOKEN_PARAM);
  if (fromQuery !== null) return tokenMatches(fromQuery, config.token) ? { ok: true, tokenFromQuery: true } : { ok: false, reason: fromQuery === '' ? 'token-missing' : 'token-wrong' };
  const fromCookie = allowCookie ? readCookie(req.headers.cookie, cookieName(config.port)) : undefined;
  if (fromCookie === undefined) return { ok: false, reason: 'token-missing' };
  return tokenMatches(fromCookie, config.token) ? { ok: true, tokenFromQuery: false } : { ok: false, reason: 'token-wrong' };
}

/** Constant-time comparison; a different length is refused up front (the length is no secret). */
export function tokenMatches(given: string, token: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(token, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function tokenCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
