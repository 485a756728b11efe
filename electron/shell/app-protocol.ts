/**
 * Serves the built renderer (dist/renderer) on the app scheme: `waymark://app/<path>`.
 * Registered with `protocol.handle` (privileged as a standard, secure scheme before the
 * app is ready). Only GET/HEAD of files inside the folder; symbolic links out of it,
 * `..` and encoded separators are refused. Paths without an extension get index.html
 * (client-side routes). Every response carries the CSP.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { isInside } from '../api/flow-root';
import { APP_HOST, APP_SCHEME } from './app-url';
import { CONTENT_SECURITY_POLICY } from './csp';
import { contentTypeOf } from '../content-types';

/**
 * What `protocol.registerSchemesAsPrivileged` needs, before `app` is ready: a standard,
 * secure origin; CORS-mode loads (Vite emits `<script type="module" crossorigin>`);
 * V8 code cache for the bundle. No `bypassCSP`: the CSP applies.
 */
export const APP_SCHEME_PRIVILEGES = { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true } };

export function appProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'method not allowed');
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return text(404, 'not found');
    const file = await locate(rendererDir, url.pathname);
    if (file === 'not-built') return text(503, `The app is not built: ${rendererDir} has no index.html. Run \`npm start\`, which builds it.`);
    if (file === null) return text(404, 'not found');
    const body = request.method === 'HEAD' ? null : await readFile(file);
    return new Response(body, { status: 200, headers: { ...headers(), 'Content-Type': contentTypeOf(file) } });
  };
}

async function locate(dir: string, pathname: string): Promise<string | null | 'not-built'> {
  const index = await fileInside(dir, join(dir, 'index.html'));
  if (!index) return 'not-built';
  let segments: string[];
  try {
    segments = pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
  } catch {
    return null;
  }
  if (segments.some((s) => s === '..' || s === '.' || /[\\/:\0]/.test(s))) return null;
  if (segments.length === 0) return index;
  const found = await fileInside(dir, join(dir, ...segments));
  if (found) return found;
  return extname(segments[segments.length - 1] as string) === '' ? index : null;
}

/**
 * `path` when it is a file inside `dir`. Symbolic links are resolved where the file
 * system can (inside a packaged app.asar it cannot, and the check stays lexical).
 */
async function fileInside(dir: string, path: string): Promise<string | null> {
  try {
    const realDir = await realpath(dir).catch(() => dir);
    const real = await realpath(path).catch(() => path);
    if (!isInside(dir, path) || !(isInside(realDir, real) || isInside(dir, real))) return null;
    return (await stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}

function headers(): Record<string, string> {
  return { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' };
}

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { ...headers(), 'Content-Type': 'text/plain; charset=utf-8' } });
}
