/**
 * Per-webContents protections: the page can never leave the app. Navigations of any
 * frame to a non-app URL are cancelled, new windows are denied, <webview> is refused.
 * An https: link the user clicked (a navigation or a window.open) opens in the OS
 * browser instead, after `externalUrl` validation.
 */
import type { Shell, WebContents } from 'electron';
import { isAppUrl } from './app-url';
import { openExternalLink } from './external-links';

export interface NavigationPolicy {
  shell: Pick<Shell, 'openExternal'>;
  log: (line: string) => void;
}

export type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/** Contents already guarded: the window's gets here twice (its factory and web-contents-created). */
const guarded = new WeakSet<GuardedContents>();

export function guardWebContents(contents: GuardedContents, policy: NavigationPolicy): void {
  if (guarded.has(contents)) return;
  guarded.add(contents);
  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    if (!openExternalLink(event.url, policy.shell, policy.log)) policy.log(`blocked navigation to ${describe(event.url)}`);
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    policy.log('blocked a <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (!openExternalLink(url, policy.shell, policy.log)) policy.log(`blocked a new window for ${describe(url)}`);
    return { action: 'deny' };
  });
}

/** Scheme and host only: a URL's path or query may carry data that has no place in a log. */
function describe(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'an invalid URL';
  }
}
