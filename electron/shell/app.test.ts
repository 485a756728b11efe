/**
 * The whole desktop startup and shutdown against the fake `electron`: what is installed
 * before the window exists, what the window is, how a request travels, what a crash
 * left behind looks like at launch, and that quitting records running runs interrupted.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHANNELS, type ApiResult } from '../../shared/api';
import { newRun } from '../store/conformance/fixtures';
import { MemoryStore } from '../store/memory-store';
import { tempDir, waitFor, type TempDir } from '../testing/temp-dir';
import { ipcChannel } from '../preload/ipc-channels';
import { startDesktopApp, type DesktopApp, type DesktopOptions } from './app';
import { APP_ENTRY_URL, APP_SCHEME } from './app-url';
import { electronAddonPath } from './native-addon';
import { FakeEvent, FakeFrame, FakeWebContents, createFakeElectron, type FakeBrowserWindow, type FakeElectron } from './testing/fake-electron';

let tmp: TempDir;
let fake: FakeElectron;
let store: MemoryStore;
let logged: string[];
let started: DesktopApp | null;

beforeEach(async () => {
  tmp = tempDir('waymark-app-');
  for (const dir of ['userData', 'logs', 'documents', 'flows', 'app']) mkdirSync(join(tmp.path, dir));
  writeFileSync(join(tmp.path, 'flows', 'slow.yaml'), 'name: slow\nphases:\n  - id: nap\n    kind: command\n    run: sleep 30\n');
  fake = createFakeElectron({ paths: { userData: join(tmp.path, 'userData'), logs: join(tmp.path, 'logs'), documents: join(tmp.path, 'documents') }, appPath: join(tmp.path, 'app') });
  fake.app.isPackaged = true;
  store = new MemoryStore();
  logged = [];
  started = null;
});

afterEach(async () => {
  if (started && started.quit.state !== 'stopped') await started.quit.stopNow('test over');
  tmp.remove();
});

function launch(overrides: Partial<DesktopOptions> = {}): Promise<DesktopApp | null> {
  const promise = startDesktopApp({
    electron: fake.electron,
    argv: ['electron', '.', '--root', join(tmp.path, 'flows')],
    env: { WAYMARK_DB: join(tmp.path, 'waymark.db'), PATH: process.env.PATH },
    cwd: tmp.path,
    electronVersion: '45.4.1',
    log: (line) => logged.push(line),
    openStore: () => store,
    ...overrides,
  }).then((app) => (started = app));
  fake.app.becomeReady();
  return promise;
}

const theWindow = (): FakeBrowserWindow => {
  const [window] = fake.windows();
  if (!window) throw new Error('no window');
  return window;
};
const request = (channel: (typeof CHANNELS)[number], payload: unknown, frame?: FakeFrame) =>
  fake.ipcMain.invoke(ipcChannel(channel), theWindow().webContents.ipcEvent(frame), payload) as Promise<ApiResult<unknown>>;

describe('desktop app startup', () => {
  it('installs the scheme, guards, IPC and exactly one secure window', async () => {
    expect(await launch()).not.toBeNull();
    expect(fake.protocol.privileged).toEqual([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true } }]);
    expect([...fake.protocol.handlers.keys()]).toEqual([APP_SCHEME]);
    expect(fake.session.headersListener).not.toBeNull();
    expect(fake.session.permissionRequestHandler).not.toBeNull();
    expect(fake.session.permissionCheckHandler).not.toBeNull();
    expect(fake.windows()).toHaveLength(1);
    expect(theWindow().options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, preload: join(tmp.path, 'app', 'dist', 'electron', 'preload.cjs') });
    expect(theWindow().loadedUrl).toBe(APP_ENTRY_URL);
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual(CHANNELS.map(ipcChannel).sort());
  });

  it('asks with a dialog before unsaved editor changes are discarded by closing or reloading', async () => {
    await launch();
    const kept = new FakeEvent(APP_ENTRY_URL);
    theWindow().webContents.emit('will-prevent-unload', kept);
    expect(fake.messageBoxes).toEqual([expect.objectContaining({ buttons: ['Discard changes', 'Keep editing'], cancelId: 1 })]);
    expect(kept.defaultPrevented).toBe(false);
    fake.answerMessageBox(0);
    const discarded = new FakeEvent(APP_ENTRY_URL);
    theWindow().webContents.emit('will-prevent-unload', discarded);
    expect(discarded.defaultPrevented).toBe(true);
  });

  it('opens a flow the user picks with the OS dialog, even outside the flow folder', async () => {
    await launch();
    const outside = tmp.file('picked.yaml', 'name: picked\nphases:\n  - { id: a, kind: command, run: "echo a" }\n');
    expect(await request('flows.pick', {})).toEqual({ ok: true, value: null });
    expect(await request('flows.open', { path: outside })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    fake.pickFile(outside);
    expect(await request('flows.pick', {})).toEqual({ ok: true, value: { path: outside } });
    expect(await request('flows.open', { path: outside })).toMatchObject({ ok: true, value: { flow: { name: 'picked' } } });
  });

  it('answers the window and refuses a foreign frame', async () => {
    await launch();
    expect(await request('runs.list', {})).toEqual({ ok: true, value: { runs: [], next: null } });
    expect(await request('flows.list', {})).toMatchObject({ ok: true, value: [{ path: 'slow.yaml', name: 'slow' }] });
    expect(await request('settings.get', {})).toMatchObject({ ok: true, value: { storage: 'encrypted', writable: true } });
    const iframe = new FakeFrame(APP_ENTRY_URL, theWindow().webContents.mainFrame);
    expect(await request('runs.list', {}, iframe)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(await request('runs.list', { limit: -1 })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });

  it('guards every other webContents as well', async () => {
    await launch();
    const other = new FakeWebContents(fake.session);
    fake.app.emit('web-contents-created', {}, other);
    expect(other.navigate('https://example.com/')).toBe(false);
    expect(other.windowOpenHandler?.({ url: 'waymark://app/index.html' })).toEqual({ action: 'deny' });
  });

  it('marks runs left by a crashed process interrupted at launch', async () => {
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid as number;
    await store.createRun(newRun('crashed1'), { id: 'old-app', pid: deadPid, host: hostname() }, Date.now() - 60_000);
    await launch();
    expect(await store.getRun('crashed1')).toMatchObject({ status: 'interrupted', error: { code: 'INTERRUPTED' } });
    expect(logged).toContain('1 run(s) left by a crash are now interrupted and can be resumed');
  });

  it('a flow folder that does not exist is one clear message, then exit', async () => {
    expect(await launch({ argv: ['electron', '.', '--root', join(tmp.path, 'missing')] })).toBeNull();
    expect(fake.errorBoxes[0]?.title).toBe('Waymark cannot open its flow folder');
    expect(fake.errorBoxes[0]?.content).toMatch(/missing does not exist[\s\S]*--root DIR/);
    expect(fake.app.ended).toEqual({ how: 'exit', code: 1 });
  });

  it('opens the database the Database setting names when WAYMARK_DB is not set', async () => {
    const team = join(tmp.path, 'team.db');
    writeFileSync(join(tmp.path, 'userData', 'settings.json'), JSON.stringify({ version: 1, database: team }));
    const opened: string[] = [];
    expect(await launch({ env: { PATH: process.env.PATH }, openStore: (target) => (opened.push(target), store) })).not.toBeNull();
    expect(opened).toEqual([team]);
    expect(logged).toContain(`database ${team} (from the Database setting)`);
  });

  it('a second instance focuses the first and exits without a window', async () => {
    fake.app.lock = false;
    expect(await launch()).toBeNull();
    expect(fake.windows()).toHaveLength(0);
    expect(fake.ipcMain.handlers.size).toBe(0);
    expect(fake.app.ended).toEqual({ how: 'quit' });
  });

  it('in development, a missing Electron build of better-sqlite3 is one actionable message, then exit', async () => {
    fake.app.isPackaged = false;
    expect(await launch({ openStore: undefined })).toBeNull();
    expect(fake.errorBoxes).toHaveLength(1);
    expect(fake.errorBoxes[0]?.content).toContain(electronAddonPath(join(tmp.path, 'app'), '45.4.1'));
    expect(fake.errorBoxes[0]?.content).toMatch(/ensure-electron-addon\.mjs.*npx waymark serve/);
    expect(fake.app.ended).toEqual({ how: 'exit', code: 1 });
    expect(fake.windows()).toHaveLength(0);
  });
});

describe('desktop app quit', () => {
  it('quitting stops a running run, records it interrupted, then quits', async () => {
    const app = (await launch()) as DesktopApp;
    const start = await request('runs.start', { flowPath: 'slow.yaml' });
    if (!start.ok) throw new Error(start.error.message);
    const { runId } = start.value as { runId: string };
    await waitFor(async () => (await store.getPhases(runId)).some((p) => p.status === 'running'), 10_000, 'the phase to start');
    fake.app.quit();
    expect(fake.app.ended).toBeNull(); // held while the run stops
    await waitFor(() => fake.app.ended ?? undefined, 10_000, 'the app to quit');
    expect(fake.app.ended).toEqual({ how: 'quit' });
    expect(app.quit.state).toBe('stopped');
    expect((await store.getRun(runId))?.status).toBe('interrupted');
    expect(fake.ipcMain.handlers.size).toBe(0);
  });

  it('closing the window quits the same way', async () => {
    await launch();
    theWindow().close();
    fake.app.emit('window-all-closed');
    await waitFor(() => fake.app.ended ?? undefined, 10_000, 'the app to quit');
    expect(fake.app.ended).toEqual({ how: 'quit' });
  });
});
