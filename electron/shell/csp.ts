/**
 * The Content-Security-Policy of the app's pages, sent as a response header on every
 * response of the app's session (session-guards.ts) and by the app protocol itself.
 * Scripts only from the app bundle, no eval, no inline script, no network: the renderer
 * talks to the main process over IPC only. Inline styles are allowed because React Flow
 * positions nodes with style attributes.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * `headers` with the app's CSP and nosniff, replacing any CSP already present whatever
 * its letter case (a second policy would only be combined with ours, but one is clearer).
 */
export function withSecurityHeaders(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase();
    if (lower !== 'content-security-policy' && lower !== 'x-content-type-options') out[name] = value;
  }
  out['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  out['X-Content-Type-Options'] = ['nosniff'];
  return out;
}
