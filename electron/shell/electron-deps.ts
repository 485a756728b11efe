/**
 * The parts of the `electron` module the shell uses, as one object passed in (dependency
 * injection): main.ts hands over the real module, tests hand over the stand-in of
 * testing/fake-electron.ts. Shell modules take the narrowest slice they need.
 */
import type { App, BrowserWindow, BrowserWindowConstructorOptions, Dialog, IpcMain, PowerMonitor, Protocol, SafeStorage, Session, Shell } from 'electron';
import type { NotificationCtor } from './run-notifications';

export type BrowserWindowCtor = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

export interface ShellElectron {
  app: Pick<
    App,
    'on' | 'quit' | 'exit' | 'whenReady' | 'requestSingleInstanceLock' | 'getPath' | 'getAppPath' | 'setAppLogsPath' | 'isPackaged'
  >;
  BrowserWindow: BrowserWindowCtor;
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  protocol: Pick<Protocol, 'handle' | 'registerSchemesAsPrivileged'>;
  session: { defaultSession: Session };
  shell: Pick<Shell, 'openExternal'>;
  dialog: Pick<Dialog, 'showErrorBox' | 'showMessageBoxSync' | 'showOpenDialog'>;
  safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>;
  powerMonitor: Pick<PowerMonitor, 'on'>;
  Notification: NotificationCtor;
}
