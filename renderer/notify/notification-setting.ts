/**
 * Whether serve mode's page shows browser notifications: the browser's permission for
 * this site, asked only when the user presses "Enable notifications" (never on load),
 * and the user's own on/off switch, kept in this browser's localStorage. The desktop app
 * notifies from its main process instead (electron/shell/run-notifications.ts).
 */
import { useSyncExternalStore } from 'react';
import { createEmitter } from '../../shared/emitter';

export type NotificationPermissionState = 'unsupported' | NotificationPermission;

export interface NotificationSetting {
  permission: NotificationPermissionState;
  /** The user has not turned them off here (meaningful once permission is `granted`). */
  enabled: boolean;
}

const OFF_KEY = 'waymark.notifications';
const changed = createEmitter();
let current: NotificationSetting | null = null;
/** The user's switch: read from storage once, then kept here (storage may be blocked). */
let off: boolean | null = null;

/** The setting now (the permission may change in the browser's site settings at any time). */
export function notificationSetting(): NotificationSetting {
  const now = read();
  if (!current || current.permission !== now.permission || current.enabled !== now.enabled) current = now;
  return current;
}

/** Browser notifications will be shown (in the background). */
export function notificationsOn(): boolean {
  const { permission, enabled } = notificationSetting();
  return permission === 'granted' && enabled;
}

export function useNotificationSetting(): NotificationSetting {
  return useSyncExternalStore(changed.on, notificationSetting);
}

/** Asks the browser for the permission (a user gesture must call this) and turns them on. */
export async function enableNotifications(): Promise<NotificationSetting> {
  writeOff(false);
  if (typeof Notification !== 'undefined' && Notification.permission === 'default') await Notification.requestPermission();
  return update();
}

export function disableNotifications(): NotificationSetting {
  writeOff(true);
  return update();
}

function update(): NotificationSetting {
  changed.emit();
  return notificationSetting();
}

function read(): NotificationSetting {
  const permission: NotificationPermissionState = typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
  if (off === null) {
    try {
      off = localStorage.getItem(OFF_KEY) === 'off';
    } catch {
      off = false; // storage blocked: on unless turned off in this page
    }
  }
  return { permission, enabled: !off };
}

function writeOff(next: boolean): void {
  off = next;
  try {
    if (next) localStorage.setItem(OFF_KEY, 'off');
    else localStorage.removeItem(OFF_KEY);
  } catch {
    // storage blocked: the choice lasts until the page reloads
  }
}
