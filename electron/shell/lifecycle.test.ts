/** Quit handling: every way out goes through one bounded, graceful stop. */
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { claimSingleInstance, installQuitHandling, QUIT_TIMEOUT_MS } from './lifecycle';
import { FakeApp, createFakeElectron, type FakeElectron } from './testing/fake-electron';

let fake: FakeElectron;
let app: FakeApp;
let signals: EventEmitter;
let logged: string[];

beforeEach(() => {
  fake = createFakeElectron({ paths: {}, appPath: '/app' });
  app = fake.app;
  signals = new EventEmitter();
  logged = [];
});
afterEach(() => {
  vi.useRealTimers();
});

function install(stop: () => Promise<void>, timeoutMs?: number, killNow?: () => void) {
  return installQuitHandling({ app: fake.electron.app, stop, log: (line) => logged.push(line), signals, ...(timeoutMs ? { timeoutMs } : {}), ...(killNow ? { killNow } : {}) });
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('quit handling', () => {
  it('holds before-quit until the runs are stopped, then quits for real', async () => {
    let finish!: () => void;
    const stop = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const quit = install(stop);
    app.quit();
    expect(stop).toHaveBeenCalledTimes(1);
    expect(quit.state).toBe('stopping');
    expect(app.ended).toBeNull();
    app.quit(); // Cmd+Q again while stopping: still one stop
    expect(stop).toHaveBeenCalledTimes(1);
    finish();
    await flush();
    expect(quit.state).toBe('stopped');
    expect(app.ended).toEqual({ how: 'quit' });
  });

  it('quits anyway when the stop takes longer than the bound', async () => {
    vi.useFakeTimers();
    const quit = install(() => new Promise<void>(() => {}));
    app.quit();
    await vi.advanceTimersByTimeAsync(QUIT_TIMEOUT_MS - 1);
    expect(app.ended).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(quit.state).toBe('stopped');
    expect(app.ended).toEqual({ how: 'quit' });
    expect(logged.join('\n')).toMatch(/did not stop within 5000 ms; quitting anyway/);
  });

  it('quits after a stop that fails, and logs why', async () => {
    install(() => Promise.reject(new Error('database is locked')));
    app.quit();
    await flush();
    expect(app.ended).toEqual({ how: 'quit' });
    expect(logged).toContain('error while stopping: database is locked');
  });

  it('closing the last window quits through the same stop', async () => {
    const stop = vi.fn(async () => {});
    install(stop);
    app.emit('window-all-closed');
    await flush();
    expect(stop).toHaveBeenCalledTimes(1);
    expect(app.ended).toEqual({ how: 'quit' });
  });

  it('a will-quit that did not pass before-quit is held too', async () => {
    const stop = vi.fn(async () => {});
    install(stop);
    const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    app.emit('will-quit', event);
    expect(event.defaultPrevented).toBe(true);
    await flush();
    expect(stop).toHaveBeenCalledTimes(1);
    expect(app.ended).toEqual({ how: 'quit' });
  });

  it('SIGTERM and SIGINT quit gracefully; a second signal exits at once', async () => {
    const stop = vi.fn(() => new Promise<void>(() => {}));
    install(stop, 60_000);
    signals.emit('SIGTERM');
    expect(stop).toHaveBeenCalledTimes(1);
    expect(app.ended).toBeNull();
    signals.emit('SIGINT');
    expect(app.ended).toEqual({ how: 'exit', code: 130 });
  });

  it('a second signal kills the running commands, then exits', () => {
    const endedWhenKilled: unknown[] = [];
    const killNow = vi.fn(() => endedWhenKilled.push(app.ended));
    install(() => new Promise<void>(() => {}), 60_000, killNow);
    signals.emit('SIGTERM');
    expect(killNow).not.toHaveBeenCalled();
    signals.emit('SIGTERM');
    expect(endedWhenKilled).toEqual([null]);
    expect(app.ended).toEqual({ how: 'exit', code: 143 });
  });

  it('a stop that finishes leaves the commands to it: nothing is killed', async () => {
    const killNow = vi.fn();
    install(async () => {}, undefined, killNow);
    signals.emit('SIGINT');
    await flush();
    expect(app.ended).toEqual({ how: 'quit' });
    expect(killNow).not.toHaveBeenCalled();
  });

  it('kills the running commands when the stop times out, before quitting anyway', async () => {
    vi.useFakeTimers();
    const endedWhenKilled: unknown[] = [];
    install(() => new Promise<void>(() => {}), undefined, () => endedWhenKilled.push(app.ended));
    app.quit();
    await vi.advanceTimersByTimeAsync(QUIT_TIMEOUT_MS);
    expect(endedWhenKilled).toEqual([null]);
    expect(app.ended).toEqual({ how: 'quit' });
    expect(logged.join('\n')).toMatch(/quitting anyway, their commands killed/);
  });

  it('stopNow (Windows session end) stops without waiting for a quit, once', async () => {
    const stop = vi.fn(async () => {});
    const quit = install(stop);
    await Promise.all([quit.stopNow('session end'), quit.stopNow('again')]);
    expect(stop).toHaveBeenCalledTimes(1);
    expect(quit.state).toBe('stopped');
  });
});

describe('single instance', () => {
  it('the first instance keeps the lock and focuses its window on a second launch', () => {
    const focus = vi.fn();
    expect(claimSingleInstance(fake.electron.app, focus)).toBe(true);
    app.emit('second-instance', {}, ['waymark'], '/');
    expect(focus).toHaveBeenCalledTimes(1);
  });

  it('a second instance quits', () => {
    app.lock = false;
    expect(claimSingleInstance(fake.electron.app, vi.fn())).toBe(false);
    expect(app.ended).toEqual({ how: 'quit' });
  });
});
