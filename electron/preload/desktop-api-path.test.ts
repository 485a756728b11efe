/**
 * The desktop app's whole API path, without Electron: the renderer's commands
 * (renderer/state/commands.ts) on the API `getApi()` builds from `window.waymark`, which
 * is the preload's bridge over a stand-in `ipcRenderer` that reaches the real IPC binding
 * (sender check, dispatch) and the real handlers, engine and SQLite database. What crosses
 * a process or the context bridge is structured-cloned, as Electron does.
 *
 * The point: a refused request shows its own message, not "[object Object]".
 */
import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../shared/api';
import type { WaymarkBridge } from '../../shared/api-client';
import { createApiFixture, type ApiFixture } from '../api/api-fixtures';
import { APP_ENTRY_URL, isAppUrl } from '../shell/app-url';
import { FakeIpcMain, FakeSession, FakeWebContents } from '../shell/testing/fake-electron';
import { waitFor } from '../testing/temp-dir';
import { bindIpcApi, forwardEvents, type IpcBindingOptions } from '../transport/ipc-main';
import { createPreloadApi, type PreloadIpc } from './preload-api';
// The test plays the renderer of the desktop app.
import { getApi } from '../../renderer/api/get-api';
import { createEventPump } from '../../renderer/state/apply-event';
import { createCommands, type Commands } from '../../renderer/state/commands';
import { createWaymarkStore, type WaymarkStore } from '../../renderer/state/store';

let fx: ApiFixture;
let store: WaymarkStore;
let commands: Commands;
const disposers: (() => void)[] = [];

/** The main process side (IPC binding, event forwarding) and the renderer side (ipcRenderer), joined by structured clones. */
function desktopBridge(): WaymarkBridge {
  const ipcMain = new FakeIpcMain();
  const rendererSide = new EventEmitter();
  const contents = new FakeWebContents(new FakeSession());
  contents.mainFrame.url = APP_ENTRY_URL;
  contents.send = (channel: string, ...args: unknown[]) => void rendererSide.emit(channel, {}, ...structuredClone(args));
  const trusted = () => contents as unknown as ReturnType<IpcBindingOptions['trusted']>;
  disposers.push(bindIpcApi({ ipcMain: ipcMain as unknown as IpcBindingOptions['ipcMain'], dispatch: fx.server.request, trusted, isAppUrl }));
  disposers.push(forwardEvents(fx.server.subscribe, () => contents as never));
  const ipcRenderer = {
    invoke: (channel: string, payload: unknown) => ipcMain.invoke(channel, contents.ipcEvent(), payload),
    on: (channel: string, listener: (...args: unknown[]) => void) => rendererSide.on(channel, listener),
    removeListener: (channel: string, listener: (...args: unknown[]) => void) => rendererSide.removeListener(channel, listener),
  } as unknown as PreloadIpc;
  // contextBridge copies what the page passes in and what it gets back.
  const preload = createPreloadApi(ipcRenderer) as unknown as Record<string, (payload: unknown) => Promise<unknown>>;
  const exposed = Object.fromEntries(Object.entries(preload).map(([name, fn]) => [name, name === 'onEvent' ? fn : async (payload: unknown) => structuredClone(await fn(structuredClone(payload)))]));
  return exposed as unknown as WaymarkBridge;
}

beforeAll(async () => {
  fx = await createApiFixture();
  vi.stubGlobal('window', { waymark: desktopBridge() });
  const connection = getApi();
  expect(connection.desktop).toBe(true);
  store = createWaymarkStore();
  const pump = createEventPump({ store, schedule: (flush) => setTimeout(flush, 0) });
  disposers.push(connection.api.onEvent(pump.push));
  commands = createCommands(connection.api, store, pump);
});

afterAll(async () => {
  for (const dispose of disposers.splice(0).reverse()) dispose();
  vi.unstubAllGlobals();
  await fx?.cleanup();
});

describe('the desktop API path, driven by the renderer commands', () => {
  it('a refused action shows the error message the main process gave', async () => {
    await commands.resumeRun('nosuchrun0');
    const notices = store.getState().notices.map((n) => n.message);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^Could not resume run nosuchrun0: .*nosuchrun0/);
    expect(notices[0]).not.toContain('[object Object]');
  });

  it('a rejected call keeps its code, message and where across the bridge', async () => {
    const err = await commands.startRun('broken.yaml', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const { error } = err as ApiError;
    expect(error.code).toBe('FLOW_INVALID');
    expect((err as ApiError).message).toContain('nope');
    expect(String(err)).not.toContain('[object Object]');
  });

  it('a run started from the renderer shows its live events and final status', async () => {
    const runId = await commands.startRun('hello.yaml', { name: 'Ada' });
    expect(store.getState().openRunId).toBe(runId);
    await waitFor(() => store.getState().view?.run.status === 'succeeded' || undefined, 20_000, 'the run to show succeeded');
    const view = store.getState().view;
    expect(view?.order.map((id) => [id, view.phases[id]?.status, view.phases[id]?.output])).toEqual([
      ['greet', 'succeeded', 'Hello, Ada!'],
      ['shout', 'succeeded', 'HELLO, ADA!'],
    ]);

    // Resuming a succeeded run is refused with the reason, as a notice.
    await commands.resumeRun(runId);
    expect(store.getState().notices.at(-1)?.message).toMatch(new RegExp(`^Could not resume run ${runId}: .*succeeded`));
  });
});
