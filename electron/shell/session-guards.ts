/**
 * Session-wide protections, installed once on the app's session before any page loads:
 * the CSP header on every response (DevTools' own excepted); every permission request
 * and check denied (the app needs no camera, notifications, geolocation, ...); and no web
 * content from the network: requests for anything but the app scheme, devtools and
 * page-made data:/blob: URLs are cancelled.
 */
import type { Session } from 'electron';
import { APP_SCHEME } from './app-url';
import { withSecurityHeaders } from './csp';

/** Schemes the session may load. */
const ALLOWED_SCHEMES = new Set([`${APP_SCHEME}:`, 'devtools:', 'data:', 'blob:']);

type GuardedSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> & {
  webRequest: Pick<Session['webRequest'], 'onHeadersReceived' | 'onBeforeRequest'>;
};

export function installSessionGuards(session: GuardedSession, log: (line: string) => void): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    // DevTools brings its own policy; everything else gets the app's.
    if (schemeOf(details.url) === 'devtools:') return callback({});
    callback({ responseHeaders: withSecurityHeaders(details.responseHeaders) });
  });
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = ALLOWED_SCHEMES.has(schemeOf(details.url));
    if (!allowed) log(`blocked a request for remote content: ${schemeOf(details.url)}//${hostOf(details.url)}`);
    callback({ cancel: !allowed });
  });
  session.setPermissionRequestHandler((_webContents, permission, callback) => {
    log(`denied a permission request: ${permission}`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
}

function schemeOf(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return 'invalid:';
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}
