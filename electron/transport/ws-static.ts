/**
 * Serves the built renderer (dist/renderer) to the browser: index.html for `/` and for
 * client-side routes, hashed assets with their content types, nothing outside the folder.
 */
import { createReadStream, realpathSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { isInside } from '../api/flow-root';
import { contentTypeOf } from '../content-types';

/** Headers on every response. The CSP allows inline styles only: React Flow sets style attributes. */
export function securityHeaders(port: number): Record<string, string> {
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "img-src 'self' data:",
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  };
}

export interface StaticOptions {
  /** dist/renderer */
  dir: string;
  port: number;
  /** Extra headers for this response (the token cookie). */
  headers?: Record<string, string>;
}

export function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string, options: StaticOptions): void {
  const headers = { ...securityHeaders(options.port), ...options.headers };
  const file = locate(options.dir, pathname);
  if (file === 'missing-app') return sendText(res, 503, notBuiltPage(options.dir), 'text/html; charset=utf-8', headers);
  if (file === null) return sendText(res, 404, 'not found\n', 'text/plain; charset=utf-8', headers);
  const type = contentTypeOf(file.path);
  res.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': String(file.size) });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file.path);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

export function sendText(res: ServerResponse, status: number, body: string, type: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/** The file for a URL path, null for "not found", or 'missing-app' when the renderer is not built. */
function locate(dir: string, pathname: string): { path: string; size: number } | null | 'missing-app' {
  const index = fileAt(join(dir, 'index.html'), dir);
  if (!index) return 'missing-app';
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.' || s.includes('\\') || s.includes('\0') || s.includes(':'))) return null;
  if (segments.length === 0) return index;
  const found = fileAt(join(dir, ...segments), dir);
  if (found) return found;
  // Client-side routes (no file extension) get the app; a missing asset is a 404.
  return extname(segments[segments.length - 1] as string) === '' ? index : null;
}

function fileAt(path: string, dir: string): { path: string; size: number } | null {
  try {
    const real = realpathSync(path);
    if (!isInside(realpathSync(dir), real)) return null;
    const info = statSync(real);
    return info.isFile() ? { path: real, size: info.size } : null;
  } catch {
    return null;
  }
}

function notBuiltPage(dir: string): string {
  const escaped = dir.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Waymark</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 4em auto; line-height: 1.5">
<h1>The Waymark web app is not built yet</h1>
<p>The server is running, but <code>${escaped}</code> has no <code>index.html</code>.</p>
<p>Build it with <code>npm run build</code> (<code>npm install</code> does too), then reload this page.</p>
</body></html>
`;
}
