/**
 * Quitting without losing work (SPEC §3: "app quit → interrupted, resumable"). Every way
 * the app can end funnels into one graceful stop:
 *   window closed → app.quit();  Cmd/Ctrl+Q, menu Quit → before-quit;
 *   SIGINT/SIGTERM to the main process → app.quit();
 *   OS shutdown (powerMonitor 'shutdown') → app.quit();
 *   Windows logout (window 'session-end') → stop at once, the OS will not wait.
 * The first `before-quit`/`will-quit` is held (preventDefault) while `stop()` runs —
 * engine.shutdown() records every running run `interrupted` — then the app quits for
 * real. A stop that takes longer than `timeoutMs` is abandoned: the app quits anyway and
 * the next launch finds those runs through their leases (reapOrphans). A second signal
 * during the stop exits at once. Whenever the app ends without a finished stop (second
 * signal, timeout), `killNow` SIGKILLs the commands first, so none outlives the app.
 */
import type { App } from 'electron';

export const QUIT_TIMEOUT_MS = 5_000;

export type QuitState = 'running' | 'stopping' | 'stopped';

export interface QuitOptions {
  app: Pick<App, 'on' | 'quit' | 'exit'>;
  /** Stops the runs and closes what the app opened; may reject (logged). */
  stop: () => Promise<void>;
  log: (line: string) => void;
  timeoutMs?: number;
  /** Where SIGINT/SIGTERM come from (the process). */
  signals?: Pick<NodeJS.EventEmitter, 'on'>;
  /** SIGKILLs the commands of running phases, synchronously (Engine.killProcessGroupsNow). */
  killNow?: () => void;
}

export interface QuitController {
  readonly state: QuitState;
  /** Starts the graceful stop (idempotent); resolves when it ended or timed out. */
  stopNow(reason: string): Promise<void>;
}

export function installQuitHandling(options: QuitOptions): QuitController {
  const { app, log } = options;
  const timeoutMs = options.timeoutMs ?? QUIT_TIMEOUT_MS;
  let state: QuitState = 'running';
  let stopping: Promise<void> | null = null;

  const stopNow = (reason: string): Promise<void> => {
    if (stopping) return stopping;
    state = 'stopping';
    log(`quitting (${reason}): stopping running runs`);
    const started = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const stop = options.stop().then(
      () => 'stopped' as const,
      (err: unknown) => {
        log(`error while stopping: ${err instanceof Error ? err.message : String(err)}`);
        return 'stopped' as const;
      },
    );
    stopping = Promise.race([stop, timeout]).then((outcome) => {
      clearTimeout(timer);
      state = 'stopped';
      if (outcome === 'timeout') {
        options.killNow?.();
        log(`runs did not stop within ${timeoutMs} ms; quitting anyway, their commands killed (the next launch marks them interrupted)`);
      }
      else log(`stopped in ${Date.now() - started} ms`);
    });
    return stopping;
  };

  /** Holds a quit until the stop is done, then quits again for real. */
  const holdQuit = (event: { preventDefault(): void }, reason: string) => {
    if (state === 'stopped') return;
    event.preventDefault();
    void stopNow(reason).then(() => app.quit());
  };

  app.on('before-quit', (event) => holdQuit(event, 'quit requested'));
  app.on('will-quit', (event) => holdQuit(event, 'will-quit'));
  app.on('window-all-closed', () => app.quit());

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    options.signals?.on(signal, () => {
      if (state === 'running') {
        log(`received ${signal}`);
        app.quit();
      } else {
        log(`received ${signal} again: killing running commands and exiting now`);
        options.killNow?.();
        app.exit(signal === 'SIGINT' ? 130 : 143);
      }
    });
  }

  return {
    get state() {
      return state;
    },
    stopNow,
  };
}

/**
 * One app instance per user: a second launch hands over to the first (which focuses its
 * window) and exits. Returns false in the second instance, which must not go on.
 */
export function claimSingleInstance(app: Pick<App, 'requestSingleInstanceLock' | 'on' | 'quit'>, focus: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => focus());
  return true;
}
