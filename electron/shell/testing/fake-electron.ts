/**
 * A stand-in for the parts of `electron` the shell uses (ShellElectron), so the main
 * process wiring is tested without the Electron binary. Objects record what the shell
 * did to them (window options, handlers installed, messages sent) and let a test play
 * the other side (quit the app, invoke an IPC channel from some frame, navigate).
 *
 * It models Electron's semantics where the shell depends on them: `app.quit()` emits
 * `before-quit` then `will-quit`, either of which may be prevented; `ipcMain.handle`
 * refuses a second handler for a channel; a closed window is destroyed.
 */
import { EventEmitter } from 'node:events';
import type { ShellElectron } from '../electron-deps';

export class FakeEvent {
  defaultPrevented = false;
  constructor(readonly url = '') {}
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

let nextId = 1;

export class FakeFrame {
  constructor(
    public url: string,
    readonly parent: FakeFrame | null = null,
    readonly processId = 7,
    readonly routingId = nextId++,
  ) {}
}

export class FakeSession {
  headersListener: ((details: { url: string; responseHeaders?: Record<string, string[]> }, callback: (response: { responseHeaders?: Record<string, string[]> }) => void) => void) | null = null;
  beforeRequestListener: ((details: { url: string }, callback: (response: { cancel?: boolean }) => void) => void) | null = null;
  permissionRequestHandler: ((contents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void) | null = null;
  permissionCheckHandler: ((contents: unknown, permission: string, origin: string, details: unknown) => boolean) | null = null;
  readonly webRequest = {
    onHeadersReceived: (listener: FakeSession['headersListener']) => {
      this.headersListener = listener;
    },
    onBeforeRequest: (listener: FakeSession['beforeRequestListener']) => {
      this.beforeRequestListener = listener;
    },
  };
  setPermissionRequestHandler(handler: FakeSession['permissionRequestHandler']): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: FakeSession['permissionCheckHandler']): void {
    this.permissionCheckHandler = handler;
  }
}

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly mainFrame = new FakeFrame('about:blank');
  readonly sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | null = null;
  destroyed = false;

  constructor(readonly session: FakeSession) {
    super();
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.sent.push({ channel, args });
  }
  setWindowOpenHandler(handler: FakeWebContents['windowOpenHandler']): void {
    this.windowOpenHandler = handler;
  }
  /** Plays a navigation request; true when the shell let it happen. */
  navigate(url: string, event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect' = 'will-navigate'): boolean {
    const e = new FakeEvent(url);
    this.emit(event, e, url);
    return !e.defaultPrevented;
  }
  /** An IPC event as if sent from `frame` (default: this page's main frame). */
  ipcEvent(frame: FakeFrame | null = this.mainFrame): { sender: FakeWebContents; senderFrame: FakeFrame | null } {
    return { sender: this, senderFrame: frame };
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents: FakeWebContents;
  loadedUrl: string | null = null;
  visible = false;
  focused = false;
  minimized = false;
  private destroyed = false;

  constructor(readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> }) {
    super();
    this.webContents = new FakeWebContents(FakeBrowserWindow.session);
    FakeBrowserWindow.instances.push(this);
  }
  static session = new FakeSession();

  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.mainFrame.url = url;
    this.emit('ready-to-show');
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  show(): void {
    this.visible = true;
  }
  focus(): void {
    this.focused = true;
  }
  isFocused(): boolean {
    return this.focused;
  }
  close(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

export class FakeApp extends EventEmitter {
  isPackaged = false;
  lock = true;
  quitCalls = 0;
  /** Set when the app really ended (a quit nothing prevented, or exit()). */
  ended: { how: 'quit' } | { how: 'exit'; code: number } | null = null;
  private markReady!: () => void;
  private readonly ready = new Promise<void>((resolve) => {
    this.markReady = resolve;
  });

  constructor(
    private readonly paths: Record<string, string>,
    private readonly appPath: string,
  ) {
    super();
  }
  requestSingleInstanceLock(): boolean {
    return this.lock;
  }
  whenReady(): Promise<void> {
    return this.ready;
  }
  /** Plays Electron's `ready`. */
  becomeReady(): void {
    this.markReady();
  }
  getPath(name: string): string {
    const path = this.paths[name];
    if (!path) throw new Error(`fake app has no path "${name}"`);
    return path;
  }
  getAppPath(): string {
    return this.appPath;
  }
  setAppLogsPath(): void {}
  /** Electron's order: before-quit, (windows close), will-quit, quit — each of the first two preventable. */
  quit(): void {
    this.quitCalls += 1;
    if (this.ended) return;
    const before = new FakeEvent();
    this.emit('before-quit', before);
    if (before.defaultPrevented) return;
    for (const window of FakeBrowserWindow.instances) window.close();
    const will = new FakeEvent();
    this.emit('will-quit', will);
    if (will.defaultPrevented) return;
    this.ended = { how: 'quit' };
    this.emit('quit');
  }
  exit(code = 0): void {
    this.ended = { how: 'exit', code };
  }
}

export class FakeIpcMain {
  readonly handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  handle(channel: string, handler: (event: unknown, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What `ipcRenderer.invoke(channel, payload)` from `event`'s sender would get. */
  async invoke(channel: string, event: unknown, payload: unknown): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return structuredClone(await handler(event, structuredClone(payload)));
  }
}

/** A system notification: records what was shown; `click()` plays the user clicking it. */
export class FakeNotification extends EventEmitter {
  static instances: FakeNotification[] = [];
  static supported = true;
  shown = false;
  closed = false;
  constructor(readonly options: { title?: string; body?: string }) {
    super();
    FakeNotification.instances.push(this);
  }
  static isSupported(): boolean {
    return FakeNotification.supported;
  }
  show(): void {
    this.shown = true;
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close');
  }
  click(): void {
    this.emit('click');
  }
}

/** A reversible stand-in for safeStorage's encryption (NOT encryption: tests only). */
export class FakeSafeStorage {
  available = true;
  backend = 'gnome_libsecret';
  isEncryptionAvailable(): boolean {
    return this.available;
  }
  encryptString(plain: string): Buffer {
    if (!this.available) throw new Error('Encryption is not available.');
    return Buffer.from(`fake-encrypted:${Buffer.from(plain).toString('hex')}`);
  }
  decryptString(encrypted: Buffer): string {
    const text = encrypted.toString();
    if (!text.startsWith('fake-encrypted:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(text.slice('fake-encrypted:'.length), 'hex').toString();
  }
  getSelectedStorageBackend(): string {
    return this.backend;
  }
}

export interface FakeElectron {
  /** Typed as the real module slice, for passing to the shell. */
  electron: ShellElectron;
  app: FakeApp;
  ipcMain: FakeIpcMain;
  session: FakeSession;
  safeStorage: FakeSafeStorage;
  powerMonitor: EventEmitter;
  protocol: { privileged: unknown[]; handlers: Map<string, (request: Request) => Promise<Response> | Response> };
  opened: string[];
  errorBoxes: { title: string; content: string }[];
  /** System notifications created, in order (shown or not). */
  notifications: FakeNotification[];
  /** Message boxes shown; the next one is answered with `answerMessageBox` (default: the cancel button). */
  messageBoxes: unknown[];
  answerMessageBox(button: number): void;
  /** What the next open-file dialog returns (default: cancelled). */
  pickFile(path: string | null): void;
  windows(): FakeBrowserWindow[];
}

export function createFakeElectron(options: { paths: Record<string, string>; appPath: string }): FakeElectron {
  const session = new FakeSession();
  FakeBrowserWindow.instances = [];
  FakeBrowserWindow.session = session;
  FakeNotification.instances = [];
  FakeNotification.supported = true;
  const app = new FakeApp(options.paths, options.appPath);
  const ipcMain = new FakeIpcMain();
  const safeStorage = new FakeSafeStorage();
  const powerMonitor = new EventEmitter();
  const protocol = {
    privileged: [] as unknown[],
    handlers: new Map<string, (request: Request) => Promise<Response> | Response>(),
    registerSchemesAsPrivileged(schemes: unknown[]) {
      protocol.privileged.push(...schemes);
    },
    handle(scheme: string, handler: (request: Request) => Promise<Response> | Response) {
      protocol.handlers.set(scheme, handler);
    },
  };
  const opened: string[] = [];
  const errorBoxes: { title: string; content: string }[] = [];
  const messageBoxes: unknown[] = [];
  let messageBoxAnswer = 1;
  let pickedFile: string | null = null;
  const fake = {
    app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain,
    protocol,
    session: { defaultSession: session },
    shell: {
      openExternal: async (url: string) => {
        opened.push(url);
      },
    },
    dialog: {
      showErrorBox: (title: string, content: string) => errorBoxes.push({ title, content }),
      showOpenDialog: async () => (pickedFile === null ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [pickedFile] }),
      showMessageBoxSync: (_window: unknown, options: unknown) => {
        messageBoxes.push(options);
        return messageBoxAnswer;
      },
    },
    safeStorage,
    powerMonitor,
    Notification: FakeNotification,
  };
  return {
    electron: fake as unknown as ShellElectron,
    app,
    ipcMain,
    session,
    safeStorage,
    powerMonitor,
    protocol,
    opened,
    errorBoxes,
    notifications: FakeNotification.instances,
    messageBoxes,
    answerMessageBox: (button: number) => {
      messageBoxAnswer = button;
    },
    pickFile: (path: string | null) => {
      pickedFile = path;
    },
    windows: () => FakeBrowserWindow.instances,
  };
}
