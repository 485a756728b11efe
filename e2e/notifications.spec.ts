/**
 * Serve mode's browser notifications (issue 11, point 4): never asked for on load; after
 * "Enable notifications" in Settings, a run that needs approval while the tab is in the
 * background is announced, and clicking the notification opens the run. An init script
 * records every Notification the page constructs (the real one still runs: the context
 * grants the permission) and lets the test put the tab in the background.
 */
import { expect, phaseNode, startFlow, test } from './fixtures';

test.use({ permissions: ['notifications'] });

const GATED = `name: notify-gate
phases:
  - id: prepare
    kind: command
    timeout: 2m
    run: for i in $(seq 1200); do [ -e .gates/notify ] && break; sleep 0.05; done; echo build 7
  - id: review
    kind: approval
    depends_on: [prepare]
    prompt: "Ship {{phases.prepare.output}}?"
`;

interface Recorded {
  title: string;
  body: string;
  tag: string;
}

declare global {
  interface Window {
    __notifications: (Recorded & { instance: Notification })[];
    __permissionAsked: number;
    __background: boolean;
  }
}

test('notifications are enabled by the user, shown in the background, and open the run', async ({ page, waymark }) => {
  await page.addInitScript(() => {
    const Real = window.Notification;
    let asked = false;
    window.__notifications = [];
    window.__permissionAsked = 0;
    window.__background = false;
    class Recording extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        window.__notifications.push({ title, body: options?.body ?? '', tag: options?.tag ?? '', instance: this });
      }
      // Like a browser that was never asked: 'default' until the page asks.
      static override get permission(): NotificationPermission {
        return asked ? Real.permission : 'default';
      }
      static override requestPermission(): Promise<NotificationPermission> {
        asked = true;
        window.__permissionAsked += 1;
        return Real.requestPermission();
      }
    }
    window.Notification = Recording;
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => window.__background });
    document.hasFocus = () => !window.__background;
  });
  waymark.writeFlow('notify-gate.yaml', GATED);
  await page.goto(waymark.server.url);

  await page.getByTestId('nav-settings').click();
  const setting = page.getByTestId('notifications-setting');
  await expect(setting).toHaveAttribute('data-state', 'default');
  expect(await page.evaluate(() => window.__permissionAsked)).toBe(0);
  await setting.getByRole('button', { name: 'Enable notifications' }).click();
  await expect(setting).toHaveAttribute('data-state', 'on');
  expect(await page.evaluate(() => window.__permissionAsked)).toBe(1);

  await page.getByTestId('nav-runs').click();
  const runId = await startFlow(page, 'notify-gate');
  await expect(phaseNode(page, 'prepare')).toHaveAttribute('data-status', 'running');
  // Elsewhere in the app, and the tab in the background, when the run starts to wait.
  await page.getByTestId('nav-settings').click();
  await page.evaluate(() => (window.__background = true));
  waymark.openGates('notify');

  await expect.poll(() => page.evaluate(() => window.__notifications.map(({ title, body, tag }) => ({ title, body, tag })))).toEqual([
    { title: 'Approval needed: notify-gate', body: 'review waits for your decision: Ship build 7?', tag: `${runId}:approval:review:1` },
  ]);

  await page.evaluate(() => {
    window.__background = false;
    const [shown] = window.__notifications;
    shown?.instance.onclick?.(new Event('click'));
  });
  await expect(page).toHaveURL(new RegExp(`#/runs/${runId}$`));
  await expect(page.getByTestId('run-view')).toHaveAttribute('data-run-id', runId);
  await expect(phaseNode(page, 'review')).toHaveAttribute('data-status', 'waiting');

  // In front, nothing is announced: approving here ends the run without a notification.
  await phaseNode(page, 'review').click();
  await page.getByTestId('approval-panel').getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByTestId(`run-row-${runId}`)).toHaveAttribute('data-status', 'succeeded');
  expect(await page.evaluate(() => window.__notifications.length)).toBe(1);
});
