/**
 * The IPC binding: every channel of the table is bound, requests from the app window's
 * main frame reach the one dispatch (which validates), everything else is refused
 * before the handler runs, and events reach the window only while it is open.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CHANNELS, type ApiEvent, type ApiResult } from '../../shared/api';
import { createDispatch } from '../api/dispatch';
import type { Handlers } from '../api/handlers';
import { EVENT_CHANNEL, ipcChannel } from '../preload/ipc-channels';
import { APP_ENTRY_URL, isAppUrl } from '../shell/app-url';
import { FakeFrame, FakeIpcMain, FakeSession, FakeWebContents } from '../shell/testing/fake-electron';
import { bindIpcApi, forwardEvents, type IpcBindingOptions } from './ipc-main';

const handled: unknown[] = [];
const handlers = new Proxy({} as Handlers, {
  get: (_target, channel) => (req: unknown) => {
    handled.push({ channel, req });
    return channel === 'runs.list' ? { runs: [], next: null } : { echoed: req };
  },
});

function setup(overrides: Partial<IpcBindingOptions> = {}) {
  const ipcMain = new FakeIpcMain();
  const contents = new FakeWebContents(new FakeSession());
  contents.mainFrame.url = APP_ENTRY_URL;
  let open: FakeWebContents | null = contents;
  const refused: string[] = [];
  const dispose = bindIpcApi({
    ipcMain: ipcMain as unknown as IpcBindingOptions['ipcMain'],
    dispatch: createDispatch(handlers),
    trusted: () => open as unknown as ReturnType<IpcBindingOptions['trusted']>,
    isAppUrl,
    onRefused: (channel, reason) => refused.push(`${channel}: ${reason}`),
    ...overrides,
  });
  const call = (channel: string, event: unknown, payload: unknown) => ipcMain.invoke(channel, event, payload) as Promise<ApiResult<unknown>>;
  return { ipcMain, contents, refused, dispose, call, closeWindow: () => (open = null) };
}

afterEach(() => {
  handled.length = 0;
});

describe('bindIpcApi', () => {
  it('binds exactly one handler per channel of the contract table, and the disposer removes them', () => {
    const { ipcMain, dispose } = setup();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(CHANNELS.map(ipcChannel).sort());
    dispose();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it("passes the main frame's request through dispatch, defaults applied", async () => {
    const { contents, call } = setup();
    expect(await call(ipcChannel('runs.list'), contents.ipcEvent(), {})).toEqual({ ok: true, value: { runs: [], next: null } });
    expect(handled).toEqual([{ channel: 'runs.list', req: { limit: 200 } }]);
  });

  it('answers INVALID_REQUEST for a bad payload without calling the handler', async () => {
    const { contents, call } = setup();
    const bad = [{ limit: 'all' }, { limit: 10_000 }, { limit: 5, extra: true }, 'text', [1, 2]];
    for (const payload of bad) {
      const result = await call(ipcChannel('runs.list'), contents.ipcEvent(), payload);
      expect(result.ok, JSON.stringify(payload)).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('INVALID_REQUEST');
    }
    const key = await call(ipcChannel('settings.setKey'), contents.ipcEvent(), { name: 'NODE_OPTIONS', value: '--require /tmp/x.js' });
    expect(key.ok ? null : key.error.code).toBe('INVALID_REQUEST');
    expect(handled).toEqual([]);
  });

  it('refuses a subframe of the app window (an iframe) before any handler runs', async () => {
    const { contents, call, refused } = setup();
    const iframe = new FakeFrame(APP_ENTRY_URL, contents.mainFrame as FakeFrame);
    const result = await call(ipcChannel('runs.start'), contents.ipcEvent(iframe), { flowPath: 'x.yaml' });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(handled).toEqual([]);
    expect(refused).toEqual(['runs.start: the sender is not the main frame of the app window']);
  });

  it('refuses another webContents, a foreign page, a vanished frame and a closed window', async () => {
    const { contents, call, closeWindow } = setup();
    const other = new FakeWebContents(new FakeSession());
    other.mainFrame.url = APP_ENTRY_URL;
    const foreignTop = new FakeFrame('https://evil.example/', null, contents.mainFrame.processId, contents.mainFrame.routingId);
    const cases: [string, unknown][] = [
      ['another webContents', other.ipcEvent()],
      ['a foreign page in the main frame', contents.ipcEvent(foreignTop)],
      ['a frame that is gone', contents.ipcEvent(null)],
    ];
    for (const [what, event] of cases) {
      const result = await call(ipcChannel('runs.list'), event, {});
      expect(result.ok ? 'answered' : result.error.code, what).toBe('UNAUTHORIZED');
    }
    closeWindow();
    const late = await call(ipcChannel('runs.list'), contents.ipcEvent(), {});
    expect(late.ok ? 'answered' : late.error.code).toBe('UNAUTHORIZED');
    expect(handled).toEqual([]);
  });

  it('refuses the main frame once it shows something other than the app', async () => {
    const { contents, call } = setup();
    contents.mainFrame.url = 'file:///etc/passwd';
    const result = await call(ipcChannel('flows.list'), contents.ipcEvent(), {});
    expect(result.ok ? 'answered' : result.error.code).toBe('UNAUTHORIZED');
  });
});

describe('forwardEvents', () => {
  it('sends every event on the one event channel while the window is open, and stops on dispose', () => {
    const listeners = new Set<(event: ApiEvent) => void>();
    const subscribe = (listener: (event: ApiEvent) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    };
    const contents = new FakeWebContents(new FakeSession());
    let open: FakeWebContents | null = contents;
    const dispose = forwardEvents(subscribe, () => open as never);
    const event: ApiEvent = { type: 'runs.changed', runId: 'abc123' };
    listeners.forEach((l) => l(event));
    expect(contents.sent).toEqual([{ channel: EVENT_CHANNEL, args: [event] }]);
    contents.destroyed = true;
    listeners.forEach((l) => l(event));
    open = null;
    listeners.forEach((l) => l(event));
    expect(contents.sent).toHaveLength(1);
    dispose();
    expect(listeners.size).toBe(0);
  });
});
