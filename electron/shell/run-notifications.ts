/**
 * The desktop app's system notifications (SPEC §5 "People in the loop"): a run needs an
 * approval, reached its budget, failed or succeeded (which events notify, and what they
 * say, is shared/run-notification.ts) while the window is not focused. Clicking one
 * brings the window to the front and shows the run: the renderer gets a
 * `notification.clicked` event on the event channel, sent to the app's own window only.
 *
 * Electron drops a notification's click handler when the object is garbage collected, so
 * the ones on screen are kept until clicked or closed.
 */
import type { BrowserWindow, Notification, NotificationConstructorOptions } from 'electron';
import type { ApiEvent } from '../../shared/api';
import { runNotificationFor } from '../../shared/run-notification';
import { EVENT_CHANNEL } from '../preload/ipc-channels';
import { focusWindow } from './window';

export type NotificationCtor = (new (options: NotificationConstructorOptions) => Pick<Notification, 'show' | 'close' | 'on'>) &
  Pick<typeof Notification, 'isSupported'>;

/** Notifications kept alive at most; older ones are let go (their clicks then do nothing). */
const MAX_KEPT = 20;

export interface RunNotificationsOptions {
  Notification: NotificationCtor;
  /** The API's event stream (every run of the database, this process's and others'). */
  subscribe: (listener: (event: ApiEvent) => void) => () => void;
  window: () => BrowserWindow | null;
  /** The run's flow name for the title; null when it cannot be read. */
  flowName: (runId: string) => Promise<string | null>;
  log: (line: string) => void;
}

/** Starts notifying; returns the disposer (which also closes the notifications on screen). */
export function installRunNotifications(options: RunNotificationsOptions): () => void {
  const { Notification } = options;
  const kept = new Set<Pick<Notification, 'close'>>();
  let stopped = false;

  const show = async (event: ApiEvent): Promise<void> => {
    if (event.type !== 'phase.waiting' && event.type !== 'run.finished') return;
    if (runNotificationFor(event, null) === null) return;
    const name = await options.flowName(event.runId).catch(() => null);
    const notice = runNotificationFor(event, name);
    const window = options.window();
    if (stopped || !notice || (window && !window.isDestroyed() && window.isFocused())) return;
    const notification = new Notification({ title: notice.title, body: notice.body });
    const forget = () => kept.delete(notification);
    notification.on('click', () => {
      forget();
      const target = options.window();
      if (!target || target.isDestroyed()) return;
      focusWindow(target);
      const opened: ApiEvent = { type: 'notification.clicked', runId: notice.runId };
      target.webContents.send(EVENT_CHANNEL, opened);
    });
    notification.on('close', forget);
    kept.add(notification);
    if (kept.size > MAX_KEPT) kept.delete(kept.values().next().value as Pick<Notification, 'close'>);
    notification.show();
  };

  if (!Notification.isSupported()) {
    options.log('system notifications are not supported here: runs that need you are shown in the app only');
    return () => {};
  }
  const unsubscribe = options.subscribe((event) => {
    show(event).catch((err: unknown) => options.log(`could not show a notification: ${err instanceof Error ? err.message : String(err)}`));
  });
  return () => {
    stopped = true;
    unsubscribe();
    for (const n of kept) n.close();
    kept.clear();
  };
}
