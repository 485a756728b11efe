/**
 * The desktop app, composed: single-instance lock, quit handling, the app scheme, the
 * session guards, the database and engine (orphans reaped at launch), the API mounted on
 * IPC, and the one window. Every Electron object arrives through `ShellElectron`, so the
 * whole sequence runs in tests against testing/fake-electron.ts.
 */
import type { BrowserWindow } from 'electron';
import { join } from 'node:path';
import { createApiServer } from '../api/api-server';
import { createFlowRoot, type FlowRoot } from '../api/flow-root';
import { Engine } from '../engine/engine';
import { sandboxSettings } from '../engine/sandbox/settings';
import { DB_FILE, userDataDir } from '../paths';
import type { OpenOptions } from '../store/database';
import { isDatabaseUrl, openStore } from '../store/open-store';
import type { CheckpointStore } from '../store/types';
import { KeyStore, SECRETS_FILE } from '../settings/key-store';
import { keyEnvironment } from '../settings/key-environment';
import { APP_SETTINGS_FILE, DatabaseSetting, databaseLabel, type DatabaseChoice } from '../settings/database-setting';
import { desktopSettingsHandlers, type DesktopDatabase } from '../settings/settings-handlers';
import { bindIpcApi, forwardEvents } from '../transport/ipc-main';
import { APP_ENTRY_URL, APP_SCHEME, isAppUrl } from './app-url';
import { APP_SCHEME_PRIVILEGES, appProtocolHandler } from './app-protocol';
import type { ShellElectron } from './electron-deps';
import { flowsFolder } from './flows-folder';
import { installQuitHandling, claimSingleInstance, type QuitController } from './lifecycle';
import { createLog, type Log } from './log';
import { nativeBindingFor } from './native-addon';
import { guardWebContents } from './navigation-guards';
import { installRunNotifications } from './run-notifications';
import { installSessionGuards } from './session-guards';
import { createMainWindow, focusWindow } from './window';

export interface DesktopOptions {
  electron: ShellElectron;
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  electronVersion: string;
  /** SIGINT/SIGTERM source (the process). */
  signals?: Pick<NodeJS.EventEmitter, 'on'>;
  log?: Log;
  /** Opens the database a file path or postgres:// URL names (default: open-store.ts). */
  openStore?: (target: string, options: OpenOptions) => CheckpointStore | Promise<CheckpointStore>;
  quitTimeoutMs?: number;
}

export interface DesktopApp {
  readonly engine: Engine;
  readonly quit: QuitController;
  window(): BrowserWindow | null;
}

/** Starts the app; resolves null when this process must not go on (second instance, fatal error). */
export async function startDesktopApp(options: DesktopOptions): Promise<DesktopApp | null> {
  const { electron, env } = options;
  const { app } = electron;
  let window: BrowserWindow | null = null;
  if (!claimSingleInstance(app, () => focusWindow(window))) return null;

  electron.protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  app.setAppLogsPath();
  const log = options.log ?? createLog(app.getPath('logs'));
  let stop = async (): Promise<void> => {};
  let killNow = (): void => {};
  const quit = installQuitHandling({ app, stop: () => stop(), killNow: () => killNow(), log, ...(options.signals ? { signals: options.signals } : {}), ...(options.quitTimeoutMs ? { timeoutMs: options.quitTimeoutMs } : {}) });
  const policy = { shell: electron.shell, log };
  // Any webContents, not only the window's: a guard that cannot be forgotten.
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, policy));

  await app.whenReady();
  if (quit.state !== 'running') return null;
  installSessionGuards(electron.session.defaultSession, log);
  const appRoot = app.getAppPath();
  electron.protocol.handle(APP_SCHEME, appProtocolHandler(join(appRoot, 'dist', 'renderer')));

  const opened = await openEngine(options, appRoot, log);
  if (!opened.ok) {
    log(opened.message);
    electron.dialog.showErrorBox('Waymark cannot open its database', opened.message);
    app.exit(1);
    return null;
  }
  const { engine, keyStore, database } = opened;
  killNow = () => void engine.killProcessGroupsNow();
  const reaped = await engine.reapOrphans();
  if (reaped.length > 0) log(`${new Set(reaped.map((e) => e.runId)).size} run(s) left by a crash are now interrupted and can be resumed`);

  let root: FlowRoot;
  try {
    root = createFlowRoot(flowsFolder({ argv: options.argv, env, isPackaged: app.isPackaged, cwd: options.cwd, documentsDir: app.getPath('documents') }));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log(message);
    electron.dialog.showErrorBox('Waymark cannot open its flow folder', `${message}\n\nStart it with --root DIR or WAYMARK_FLOWS=DIR pointing to an existing folder.`);
    await engine.store.close();
    app.exit(1);
    return null;
  }
  log(`flows from ${root.dir}`);
  const api = await createApiServer({
    engine,
    root,
    settings: desktopSettingsHandlers(keyStore, env, database),
    pickFlow: async () => {
      const options = { title: 'Open a flow', properties: ['openFile' as const], filters: [{ name: 'Waymark flows', extensions: ['yaml', 'yml'] }] };
      const picked = window ? await electron.dialog.showOpenDialog(window, options) : await electron.dialog.showOpenDialog(options);
      return picked.canceled ? null : (picked.filePaths[0] ?? null);
    },
    onInternalError: (channel, err) => log(`internal error in ${channel}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
    onPollError: log,
  });
  const contents = () => (window && !window.isDestroyed() ? window.webContents : null);
  const unbind = bindIpcApi({ ipcMain: electron.ipcMain, dispatch: api.request, trusted: contents, isAppUrl, onRefused: (channel, reason) => log(`refused ${channel}: ${reason}`) });
  const unforward = forwardEvents(api.subscribe, contents);
  const unnotify = installRunNotifications({
    Notification: electron.Notification,
    subscribe: api.subscribe,
    window: () => window,
    flowName: async (runId) => (await engine.store.getRun(runId))?.flowName ?? null,
    log,
  });

  stop = async () => {
    unnotify();
    await engine.shutdown();
    unforward();
    await api.close();
    unbind();
    await engine.store.close();
  };

  const confirmDiscard = (w: BrowserWindow) =>
    electron.dialog.showMessageBoxSync(w, {
      type: 'question',
      buttons: ['Discard changes', 'Keep editing'],
      defaultId: 1,
      cancelId: 1,
      message: 'The flow you are editing has unsaved changes.',
      detail: 'Close it anyway and lose them?',
    }) === 0;
  window = createMainWindow({ BrowserWindow: electron.BrowserWindow, preload: join(appRoot, 'dist', 'electron', 'preload.cjs'), url: APP_ENTRY_URL, confirmDiscard, ...policy });
  window.on('closed', () => {
    window = null;
  });
  // Windows logout/shutdown: the OS does not wait for before-quit, so stop right away.
  window.on('session-end', () => void quit.stopNow('session end'));
  electron.powerMonitor.on('shutdown', () => app.quit());

  return { engine, quit, window: () => window };
}

type Opened = { ok: true; engine: Engine; keyStore: KeyStore; database: DesktopDatabase } | { ok: false; message: string };

/**
 * Opens the database WAYMARK_DB names, else the Database setting, else the default file
 * (database-setting.ts): a SQLite file (with the Electron build of better-sqlite3) or
 * PostgreSQL (SPEC §7). Messages never show a password.
 */
async function openEngine(options: DesktopOptions, appRoot: string, log: Log): Promise<Opened> {
  const { electron, env } = options;
  const userData = electron.app.getPath('userData');
  const settingsFile = join(userData, APP_SETTINGS_FILE);
  const setting = new DatabaseSetting(settingsFile, env, join(userDataDir(env), DB_FILE));
  let inUse: DatabaseChoice;
  try {
    inUse = setting.choose();
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  const url = isDatabaseUrl(inUse.target);
  const binding = url ? { ok: true as const } : nativeBindingFor({ isPackaged: electron.app.isPackaged, appRoot, electronVersion: options.electronVersion });
  if (!binding.ok) return binding;
  const label = databaseLabel(inUse.target);
  try {
    const open = options.openStore ?? openStore;
    const store = await open(inUse.target, binding.nativeBinding ? { nativeBinding: binding.nativeBinding } : {});
    const keyStore = new KeyStore(join(userData, SECRETS_FILE), electron.safeStorage);
    // Sandboxed commands must not see the stored keys and settings (userData) nor the database.
    const sandbox = { hiddenPaths: [...sandboxSettings(env, inUse.target).hiddenPaths, userData] };
    const engine = new Engine({ store, sandbox, env: keyEnvironment(keyStore, env, (names) => log(`stored API keys could not be decrypted: ${names.join(', ')} (enter them again in Settings)`)) });
    log(`database ${label}${inUse.source === 'setting' ? ' (from the Database setting)' : ''}`);
    return { ok: true, engine, keyStore, database: { setting, inUse } };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const fix = inUse.source === 'setting' ? `\n\nThis database comes from the Database setting in ${settingsFile}: correct or delete that file, or start Waymark with WAYMARK_DB set.` : '';
    return { ok: false, message: `${url ? message : `${label}: ${message}`}${fix}` };
  }
}
