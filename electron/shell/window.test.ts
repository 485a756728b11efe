/** The one window factory and the guards every webContents gets. */
import { beforeEach, describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, isAppUrl } from './app-url';
import { externalUrl } from './external-links';
import { guardWebContents } from './navigation-guards';
import { FakeBrowserWindow, FakeEvent, FakeSession, FakeWebContents, createFakeElectron } from './testing/fake-electron';
import { createMainWindow, focusWindow } from './window';

let opened: string[];
let logged: string[];
const policy = () => ({
  shell: {
    openExternal: async (url: string) => {
      opened.push(url);
    },
  },
  log: (line: string) => logged.push(line),
});

beforeEach(() => {
  opened = [];
  logged = [];
  createFakeElectron({ paths: {}, appPath: '/app' });
});

function newWindow(): FakeBrowserWindow {
  const window = createMainWindow({ BrowserWindow: FakeBrowserWindow as never, preload: '/app/dist/electron/preload.cjs', url: APP_ENTRY_URL, ...policy() });
  return window as unknown as FakeBrowserWindow;
}

describe('createMainWindow', () => {
  it('asks before a page with unsaved changes is unloaded, and lets it go only when the user agrees', () => {
    let answer = false;
    const asked: unknown[] = [];
    const window = createMainWindow({
      BrowserWindow: FakeBrowserWindow as never,
      preload: '/app/dist/electron/preload.cjs',
      url: APP_ENTRY_URL,
      confirmDiscard: (w) => (asked.push(w), answer),
      ...policy(),
    }) as unknown as FakeBrowserWindow;
    const keep = new FakeEvent(APP_ENTRY_URL);
    window.webContents.emit('will-prevent-unload', keep);
    expect(keep.defaultPrevented).toBe(false); // the unload stays cancelled: changes kept
    answer = true;
    const discard = new FakeEvent(APP_ENTRY_URL);
    window.webContents.emit('will-prevent-unload', discard);
    expect(discard.defaultPrevented).toBe(true); // preventDefault lets the unload proceed
    expect(asked).toEqual([window, window]);
  });

  it('creates the window with the secure web preferences and the bundled preload', () => {
    const window = newWindow();
    expect(FakeBrowserWindow.instances).toEqual([window]);
    expect(window.options.webPreferences).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
    expect(window.options.webPreferences).not.toHaveProperty('enableBlinkFeatures');
    expect(window.options.webPreferences).not.toHaveProperty('additionalArguments');
  });

  it('loads the app URL and shows the window when it is ready', () => {
    const window = newWindow();
    expect(window.loadedUrl).toBe(APP_ENTRY_URL);
    expect(window.visible).toBe(true);
  });

  it('focusWindow restores and focuses, and ignores a closed window', () => {
    const window = newWindow();
    window.minimized = true;
    focusWindow(window as never);
    expect(window).toMatchObject({ minimized: false, visible: true, focused: true });
    window.close();
    expect(() => focusWindow(window as never)).not.toThrow();
    expect(() => focusWindow(null)).not.toThrow();
  });
});

describe('navigation guards', () => {
  function guarded(): FakeWebContents {
    const contents = new FakeWebContents(new FakeSession());
    guardWebContents(contents as never, policy());
    return contents;
  }

  it('lets the page navigate within the app only', () => {
    const contents = guarded();
    expect(contents.navigate('waymark://app/index.html#/runs')).toBe(true);
    expect(contents.navigate('waymark://app/other')).toBe(true);
    for (const url of ['https://example.com/', 'http://127.0.0.1:5173/', 'file:///etc/passwd', 'waymark://elsewhere/', 'javascript:alert(1)', 'not a url']) {
      expect(contents.navigate(url), url).toBe(false);
      expect(contents.navigate(url, 'will-frame-navigate'), url).toBe(false);
      expect(contents.navigate(url, 'will-redirect'), url).toBe(false);
    }
  });

  it('opens a clicked https: link in the OS browser instead of navigating, and nothing else', () => {
    const contents = guarded();
    contents.navigate('https://github.com/waymark/docs?x=1');
    contents.navigate('file:///etc/passwd');
    contents.navigate('smb://server/share');
    contents.navigate('https://user:pw@example.com/');
    expect(opened).toEqual(['https://github.com/waymark/docs?x=1']);
    expect(logged.join('\n')).not.toContain('/etc/passwd'); // only scheme and host are logged
  });

  it('denies every new window; an https: target opens externally', () => {
    const contents = guarded();
    const handler = contents.windowOpenHandler as NonNullable<FakeWebContents['windowOpenHandler']>;
    expect(handler({ url: 'https://example.com/page' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'waymark://app/index.html' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'ms-msdt:/id PCWDiagnostic' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://example.com/page']);
  });

  it('guarding twice installs the guards once (a link opens one browser tab)', () => {
    const contents = guarded();
    guardWebContents(contents as never, policy());
    contents.navigate('https://example.com/');
    expect(opened).toEqual(['https://example.com/']);
    expect(contents.listenerCount('will-navigate')).toBe(1);
  });

  it('refuses <webview> tags', () => {
    const contents = guarded();
    const event = new FakeEvent();
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
  });
});

describe('externalUrl', () => {
  it('accepts absolute https URLs without credentials only', () => {
    expect(externalUrl('https://example.com/a b')).toBe('https://example.com/a%20b');
    for (const bad of ['http://example.com/', 'file:///c:/windows', 'javascript:alert(1)', 'https://u:p@example.com', '//example.com', `https://example.com/${'a'.repeat(3000)}`, 42, null]) {
      expect(externalUrl(bad), String(bad).slice(0, 40)).toBeNull();
    }
  });

  it('isAppUrl is exact about scheme and host', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('waymark://app.evil.com/')).toBe(false);
    expect(isAppUrl('waymark://x@app/')).toBe(false);
    expect(isAppUrl('https://app/')).toBe(false);
  });
});
