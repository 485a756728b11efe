/**
 * Settings → Notifications (SPEC §5): when a run needs approval, reaches its budget, fails
 * or succeeds while Waymark is in the background. The desktop app notifies through the
 * system by itself; in a browser (serve mode) the user enables them here, which is the
 * only place the browser is asked for the permission.
 */
import { useState } from 'react';
import { getApi } from '../api/get-api';
import { disableNotifications, enableNotifications, useNotificationSetting } from '../notify/notification-setting';

const WHEN = 'when a run needs your approval, reaches its budget, fails or succeeds while Waymark is in the background';

export function NotificationsCard() {
  const setting = useNotificationSetting();
  const [asking, setAsking] = useState(false);
  if (getApi().desktop) {
    return (
      <div className="database-card" data-testid="notifications-setting" data-state="desktop">
        <p>The desktop app shows a system notification {WHEN}. Click it to open the run.</p>
      </div>
    );
  }
  const enable = async () => {
    setAsking(true);
    try {
      await enableNotifications();
    } finally {
      setAsking(false);
    }
  };
  const { permission, enabled } = setting;
  const state = permission === 'granted' ? (enabled ? 'on' : 'off') : permission;
  return (
    <div className="database-card notifications-card" data-testid="notifications-setting" data-state={state}>
      {state === 'unsupported' && <p>This browser cannot show notifications.</p>}
      {state === 'denied' && (
        <p>
          Notifications are blocked for this page. Allow them in the browser’s site settings (the icon left of the address), then reload to be told {WHEN}.
        </p>
      )}
      {(state === 'default' || state === 'off') && (
        <p>
          Get a browser notification {WHEN}.{' '}
          <button type="button" className="button small primary" onClick={() => void enable()} disabled={asking} data-testid="enable-notifications">
            Enable notifications
          </button>
        </p>
      )}
      {state === 'on' && (
        <p>
          On: this browser shows a notification {WHEN}. Click it to open the run.{' '}
          <button type="button" className="button small" onClick={disableNotifications} data-testid="disable-notifications">
            Turn off
          </button>
        </p>
      )}
    </div>
  );
}
