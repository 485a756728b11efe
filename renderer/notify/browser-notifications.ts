/**
 * Serve mode's notifications (SPEC §5 "People in the loop"): the same occasions as the
 * desktop app (shared/run-notification.ts decides which events), shown with the
 * browser's Notification API while the tab is hidden or not focused, once the user
 * enabled them (notification-setting.ts). Clicking one focuses the tab and opens the run.
 *
 * What it needs from the page comes in as `NotifyHost`, so it is tested without a browser.
 */
import type { ApiEvent, WaymarkApi } from '../../shared/api';
import { runNotificationFor } from '../../shared/run-notification';
import type { WaymarkStore } from '../state/store';

/** The part of a browser `Notification` this module uses. */
export interface ShownNotification {
  onclick: ((event: Event) => void) | null;
  close(): void;
}

export interface NotifyHost {
  /** Notifications are allowed and switched on. */
  enabled(): boolean;
  /** The tab is hidden, or the window is not focused. */
  inBackground(): boolean;
  show(title: string, options: { body: string; tag: string }): ShownNotification;
  /** Brings the tab to the front and shows the run. */
  openRun(runId: string): void;
}

/** Starts watching events; returns the disposer. */
export function watchRunsForNotifications(api: Pick<WaymarkApi, 'onEvent'>, store: WaymarkStore, host: NotifyHost): () => void {
  return api.onEvent((event: ApiEvent) => {
    if (!host.enabled() || !host.inBackground()) return;
    const notice = runNotificationFor(event, flowNameOf(store, 'runId' in event ? event.runId : ''));
    if (!notice) return;
    const shown = host.show(notice.title, { body: notice.body, tag: notice.tag });
    shown.onclick = () => {
      shown.close();
      host.openRun(notice.runId);
    };
  });
}

function flowNameOf(store: WaymarkStore, runId: string): string | null {
  const s = store.getState();
  return s.runs.find((r) => r.id === runId)?.flowName ?? (s.view?.runId === runId ? s.view.run.flowName : null);
}
