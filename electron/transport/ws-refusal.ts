/**
 * What `waymark serve` answers a request it refuses (403). A token that is missing or
 * not this server's (most often: the server was restarted with `--new-token`, or the link
 * is old) gets a page saying what happened and how to fix it, marked with
 * `REFUSED_HEADER` so the app's HTTP check can tell it from a foreign Host or Origin,
 * which get one plain line.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { REFUSED_HEADER, TOKEN_MISSING, TOKEN_REFUSED } from '../../shared/ws-protocol';
import type { RefusalReason } from './ws-auth';
import { securityHeaders, sendText } from './ws-static';

export function sendRefusal(req: IncomingMessage, res: ServerResponse, reason: RefusalReason, port: number): void {
  const headers = securityHeaders(port);
  if (reason === 'host' || reason === 'origin') {
    const what = reason === 'host' ? `this server answers only to http://127.0.0.1:${port} and http://localhost:${port}` : 'the request came from another website';
    return sendText(res, 403, `Forbidden: ${what}.\n`, 'text/plain; charset=utf-8', headers);
  }
  const text = reason === 'token-missing' ? TOKEN_MISSING : TOKEN_REFUSED;
  const refused = { ...headers, [REFUSED_HEADER]: 'token' };
  if (!wantsHtml(req)) return sendText(res, 403, `Forbidden. ${text.what}\n${text.fix}\n`, 'text/plain; charset=utf-8', refused);
  sendText(res, 403, refusalPage(text), 'text/html; charset=utf-8', refused);
}

function wantsHtml(req: IncomingMessage): boolean {
  const accept = req.headers.accept;
  return typeof accept === 'string' && accept.includes('text/html');
}

function refusalPage(text: { title: string; what: string; fix: string }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="color-scheme" content="light dark"><title>Waymark: ${escapeHtml(text.title)}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 4em auto; padding: 0 1em; line-height: 1.5">
<h1>${escapeHtml(text.title)}</h1>
<p data-testid="refused-what">${escapeHtml(text.what)}</p>
<p data-testid="refused-fix"><strong>${escapeHtml(text.fix)}</strong></p>
</body></html>
`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
