/**
 * Which run events deserve a system notification (SPEC §5 "People in the loop") and what
 * it says: one pure decision, used by the desktop shell (Electron `Notification`) and by
 * serve mode's page (the browser's Notification API), so both say the same things.
 *
 * Notified:
 * - an approval phase starts waiting (`phase.waiting`, reason `approval`): someone can
 *   decide now, even while other phases of the run still run;
 * - a run ends waiting for a higher budget (`run.finished`, `waitingFor.budget`): once per
 *   run, not once per agent phase that stopped;
 * - a run fails, or succeeds.
 * Not notified: cancelled and interrupted runs (the user or a quit did that), a run that
 * ends waiting only for approvals already announced, and every other event.
 *
 * Whether to show it (the window or tab is in the background) is the caller's decision.
 */
import type { ApiEvent } from './api';
import { formatBudgetSpent } from './usage-format';

export type RunNotificationReason = 'approval' | 'budget' | 'failed' | 'succeeded';

export interface RunNotification {
  runId: string;
  reason: RunNotificationReason;
  title: string;
  body: string;
  /** Identifies the occasion: a second notification with the same tag replaces the first. */
  tag: string;
}

/** Characters of the body at most (system notifications cut long text anyway). */
export const NOTIFICATION_BODY_CHARS = 180;

/**
 * The notification an event calls for, or null. `flowName` names the run in the title;
 * null when the caller does not know it (the run id is used).
 */
export function runNotificationFor(event: ApiEvent, flowName: string | null): RunNotification | null {
  if (event.type !== 'phase.waiting' && event.type !== 'run.finished') return null;
  const run = flowName ?? `run ${event.runId}`;
  const make = (reason: RunNotificationReason, title: string, body: string, tag = `${event.runId}:${reason}`): RunNotification => ({
    runId: event.runId,
    reason,
    title,
    body: clip(body),
    tag,
  });
  if (event.type === 'phase.waiting') {
    if (event.reason !== 'approval') return null;
    const what = firstLine(event.prompt ?? '');
    return make('approval', `Approval needed: ${run}`, `${event.phaseId} waits for your decision${what ? `: ${what}` : '.'}`, `${event.runId}:approval:${event.phaseId}:${event.attempt}`);
  }
  switch (event.status) {
    case 'waiting': {
      const budget = event.waitingFor?.budget;
      if (!budget) return null;
      const spent = formatBudgetSpent(budget);
      return make('budget', `Budget reached: ${run}`, `${spent.charAt(0).toUpperCase()}${spent.slice(1)}. Raise the budget to continue.`);
    }
    case 'failed':
      return make('failed', `Run failed: ${run}`, event.error?.message ?? `Run ${event.runId} failed.`);
    case 'succeeded':
      return make('succeeded', `Run succeeded: ${run}`, `Run ${event.runId} finished: every required phase succeeded.`);
    default:
      return null;
  }
}

/** The prompt's first line with text in it, for the body. */
function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '') ?? ''
  );
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > NOTIFICATION_BODY_CHARS ? `${flat.slice(0, NOTIFICATION_BODY_CHARS - 1)}…` : flat;
}
