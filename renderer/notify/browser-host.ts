/** The page's side of serve mode's notifications: the browser's Notification API, focus and the address. */
import { navigate } from '../app/hash-route';
import type { NotifyHost } from './browser-notifications';
import { notificationsOn } from './notification-setting';

export function browserNotifyHost(): NotifyHost {
  return {
    enabled: notificationsOn,
    inBackground: () => document.hidden || !document.hasFocus(),
    show: (title, options) => new Notification(title, options),
    openRun(runId) {
      window.focus();
      navigate({ view: 'runs', runId });
    },
  };
}
