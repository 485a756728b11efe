/**
 * Desktop notifications against the stand-in electron, under plain Node: the whole app
 * (startDesktopApp, a real engine on the memory store) runs a flow with an approval
 * phase, and the window's focus decides whether the system is asked to notify; clicking
 * a notification focuses the window and tells the page which run to show.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiEvent, ApiResult, Channel } from '../../shared/api';
import { createEmitter } from '../../shared/emitter';
import { MemoryStore } from '../store/memory-store';
import { ipcChannel, EVENT_CHANNEL } from '../preload/ipc-channels';
import { tempDir, waitFor, type TempDir } from '../testing/temp-dir';
import { startDesktopApp, type DesktopApp } from './app';
import { installRunNotifications, type NotificationCtor } from './run-notifications';
import { createFakeElectron, FakeNotification, type FakeBrowserWindow, type FakeElectron } from './testing/fake-electron';

const GATE = `name: release
phases:
  - { id: build, kind: command, run: echo built }
  - id: review
    kind: approval
    depends_on: [build]
    prompt: "Ship {{phases.build.output}} to production?"
  - { id: ship, kind: command, depends_on: [review], run: echo shipped }
`;

let tmp: TempDir;
let fake: FakeElectron;
let started: DesktopApp | null;

beforeEach(() => {
  tmp = tempDir('waymark-notify-');
  for (const dir of ['userData', 'logs', 'documents', 'flows', 'app']) mkdirSync(join(tmp.path, dir));
  writeFileSync(join(tmp.path, 'flows', 'release.yaml'), GATE);
  writeFileSync(join(tmp.path, 'flows', 'quick.yaml'), 'name: quick\nphases:\n  - { id: a, kind: command, run: echo a }\n');
  fake = createFakeElectron({ paths: { userData: join(tmp.path, 'userData'), logs: join(tmp.path, 'logs'), documents: join(tmp.path, 'documents') }, appPath: join(tmp.path, 'app') });
  fake.app.isPackaged = true;
  started = null;
});

afterEach(async () => {
  if (started && started.quit.state !== 'stopped') await started.quit.stopNow('test over');
  tmp.remove();
});

async function launch(): Promise<FakeBrowserWindow> {
  const store = new MemoryStore();
  const promise = startDesktopApp({
    electron: fake.electron,
    argv: ['electron', '.', '--root', join(tmp.path, 'flows')],
    env: { WAYMARK_DB: join(tmp.path, 'waymark.db'), PATH: process.env.PATH, USER: 'ada' },
    cwd: tmp.path,
    electronVersion: '45.4.1',
    log: () => {},
    openStore: () => store,
  });
  fake.app.becomeReady();
  started = await promise;
  const [window] = fake.windows();
  if (!window) throw new Error('no window');
  return window;
}

async function request<T>(window: FakeBrowserWindow, channel: Channel, payload: unknown): Promise<T> {
  const result = (await fake.ipcMain.invoke(ipcChannel(channel), window.webContents.ipcEvent(), payload)) as ApiResult<T>;
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const shown = () => fake.notifications.filter((n) => n.shown).map((n) => n.options);

describe('desktop notifications', () => {
  it('notifies while the window is in the background: an approval (a click shows the run), a success; never while it is focused', async () => {
    const window = await launch();
    window.focused = false;
    const { runId } = await request<{ runId: string }>(window, 'runs.start', { flowPath: 'release.yaml' });
    await waitFor(() => shown().length === 1, 10_000, 'the approval notification');
    expect(shown()).toEqual([{ title: 'Approval needed: release', body: 'review waits for your decision: Ship built to production?' }]);

    const sentBefore = window.webContents.sent.length;
    fake.notifications[0]?.click();
    expect(window.focused).toBe(true);
    const opened = window.webContents.sent.slice(sentBefore);
    expect(opened).toEqual([{ channel: EVENT_CHANNEL, args: [{ type: 'notification.clicked', runId }] }]);

    // Focused: the approved run goes on to succeed without a notification. In the
    // background again, the next run's success is notified, after it (events keep order).
    await request(window, 'runs.approve', { runId, phaseId: 'review', comment: 'go' });
    await waitFor(async () => (await request<{ run: { status: string } }>(window, 'runs.get', { runId })).run.status === 'succeeded', 10_000, 'the run to succeed');
    window.focused = false;
    await request(window, 'runs.start', { flowPath: 'quick.yaml' });
    await waitFor(() => shown().length === 2, 10_000, 'the success notification');
    expect(shown().map((n) => n.title)).toEqual(['Approval needed: release', 'Run succeeded: quick']);
  });
});

describe('installRunNotifications', () => {
  const events = () => createEmitter<ApiEvent>();
  const finished = (runId: string): ApiEvent => ({ type: 'run.finished', runId, seq: 3, at: 1, attempt: 1, status: 'failed', error: { code: 'COMMAND_FAILED', message: 'exit 1' } });

  it('where the system has no notifications, says so once and does nothing', () => {
    FakeNotification.supported = false;
    const lines: string[] = [];
    const stream = events();
    const dispose = installRunNotifications({ Notification: FakeNotification as unknown as NotificationCtor, subscribe: stream.on, window: () => null, flowName: async () => 'x', log: (l) => lines.push(l) });
    stream.emit(finished('run001'));
    expect(fake.notifications).toHaveLength(0);
    expect(lines).toEqual([expect.stringContaining('not supported')]);
    dispose();
  });

  it('names the run by id when its flow cannot be read, and closes what it showed when disposed', async () => {
    const stream = events();
    const dispose = installRunNotifications({
      Notification: FakeNotification as unknown as NotificationCtor,
      subscribe: stream.on,
      window: () => null,
      flowName: async () => {
        throw new Error('store closed');
      },
      log: () => {},
    });
    stream.emit(finished('run001'));
    await waitFor(() => shown().length === 1, 5_000, 'the notification');
    expect(shown()[0]).toEqual({ title: 'Run failed: run run001', body: 'exit 1' });
    dispose();
    expect(fake.notifications[0]?.closed).toBe(true);
    stream.emit(finished('run002'));
    await new Promise((r) => setImmediate(r));
    expect(fake.notifications).toHaveLength(1);
  });
});
