/**
 * The one place a BrowserWindow is created (STYLE rule 4). Its web preferences are the
 * Electron security checklist: context isolation, sandbox, no Node integration anywhere,
 * web security on, no insecure content, no <webview>. The page is the app's own
 * (`waymark://app`), guarded by navigation-guards.ts.
 */
import type { BrowserWindow } from 'electron';
import type { BrowserWindowCtor } from './electron-deps';
import { guardWebContents, type NavigationPolicy } from './navigation-guards';

export interface MainWindowOptions extends NavigationPolicy {
  BrowserWindow: BrowserWindowCtor;
  /** Absolute path of the bundled preload (dist/electron/preload.cjs). */
  preload: string;
  /** The app URL to load (APP_ENTRY_URL). */
  url: string;
  /**
   * Asked when the page refuses to unload (the editor has unsaved changes): true lets
   * the window close or reload anyway. Electron would otherwise cancel it silently.
   */
  confirmDiscard?: (window: BrowserWindow) => boolean;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new options.BrowserWindow({
    title: 'Waymark',
    width: 1360,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    show: false,
    backgroundColor: '#0f1115',
    autoHideMenuBar: true,
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  });
  guardWebContents(window.webContents, options);
  window.webContents.on('will-prevent-unload', (event) => {
    if (options.confirmDiscard?.(window)) event.preventDefault();
  });
  window.once('ready-to-show', () => window.show());
  window.loadURL(options.url).catch((err: unknown) => options.log(`could not load the app page: ${err instanceof Error ? err.message : String(err)}`));
  return window;
}

/** Brings the window to the front (a second launch of the app lands here). */
export function focusWindow(window: BrowserWindow | null): void {
  if (!window || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
