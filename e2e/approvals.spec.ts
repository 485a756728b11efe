/**
 * Approval phases in the app (issue 11, point 3), with command phases only: the waiting
 * run and node stand out, the inspector shows what to review, Approve and Reject work
 * from the keyboard, a rejection needs a reason and a resume asks again, the decisions
 * stay in the phase's history, and a decision someone else made first is refused with
 * its message.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { expect, phaseNode, startFlow, test } from './fixtures';

const CLI = join(import.meta.dirname, '..', 'bin', 'waymark.mjs');

const GATE = `name: release-gate
phases:
  - id: plan
    kind: command
    run: printf '1. back up the database\\n2. apply migration 042\\n'
  - id: review
    kind: approval
    depends_on: [plan]
    prompt: |
      Apply this plan to production?

      {{phases.plan.output}}
  - id: deploy
    kind: command
    depends_on: [review]
    run: echo "deploying; reviewer said:" {{phases.review.output}}
`;

async function waitingRun(page: Page, waymark: { writeFlow(name: string, yaml: string): void; server: { url: string } }): Promise<string> {
  waymark.writeFlow('release-gate.yaml', GATE);
  await page.goto(waymark.server.url);
  const runId = await startFlow(page, 'release-gate');
  const row = page.getByTestId(`run-row-${runId}`);
  await expect(row).toHaveAttribute('data-status', 'waiting');
  await expect(row.getByTestId('run-waiting-for')).toHaveText('Needs approval: review');
  await expect(phaseNode(page, 'review')).toHaveAttribute('data-status', 'waiting');
  await expect(phaseNode(page, 'review')).toContainText('needs approval');
  await expect(page.getByTestId('approvals-waiting')).toContainText('Waiting for your approval:');
  return runId;
}

test('approve from the inspector with the keyboard, after kill -9 and a restart; the comment reaches the next phase and the history', async ({ page, waymark }) => {
  const runId = await waitingRun(page, waymark);
  // A waiting run holds no process: the server dies with kill -9, another starts, the run still waits.
  await waymark.kill9(waymark.server);
  const second = await waymark.startServer();
  await page.goto(second.url);
  await expect(page.getByTestId(`run-row-${runId}`)).toHaveAttribute('data-status', 'waiting');
  await page.getByTestId(`run-row-${runId}`).getByTestId('review-run').click();

  const inspector = page.getByTestId('inspector');
  const panel = inspector.getByTestId('approval-panel');
  await expect(panel.getByTestId('approval-prompt')).toContainText('Apply this plan to production?');
  await expect(panel.getByTestId('approval-prompt')).toContainText('2. apply migration 042');
  const comment = panel.getByRole('textbox', { name: 'Comment' });
  await expect(comment).toBeFocused();
  await comment.fill('go, keep the old workers running');
  await comment.press('Control+Enter');

  await expect(panel.getByTestId('approval-outcome')).toBeFocused();
  await expect(page.getByTestId(`run-row-${runId}`)).toHaveAttribute('data-status', 'succeeded');
  const history = inspector.getByTestId('decision');
  await expect(history).toHaveCount(1);
  await expect(history).toHaveAttribute('data-decision', 'approved');
  await expect(history).toContainText('go, keep the old workers running');
  await expect(history).toContainText(/by \S+/);
  await expect(inspector.getByTestId('inspector-output')).toHaveText('go, keep the old workers running');
  expect((await waymark.show(runId)).phases.find((p) => p.id === 'deploy')?.output).toContain("reviewer said: go, keep the old workers running");
});

test('a rejection needs a reason; resume asks again; a decision made elsewhere first is refused with its message', async ({ page, waymark }) => {
  const runId = await waitingRun(page, waymark);
  await phaseNode(page, 'review').click();
  const inspector = page.getByTestId('inspector');
  const panel = inspector.getByTestId('approval-panel');
  const comment = panel.getByRole('textbox', { name: 'Comment' });

  await panel.getByRole('button', { name: 'Reject' }).click();
  await expect(panel.getByTestId('approval-problem')).toHaveText('A rejection needs a reason: say what must change.');
  await expect(comment).toBeFocused();
  await expect(comment).toHaveAttribute('aria-invalid', 'true');
  await comment.fill('back up to the second region first');
  await panel.getByRole('button', { name: 'Reject' }).click();

  await expect(page.getByTestId(`run-row-${runId}`)).toHaveAttribute('data-status', 'failed');
  await expect(page.getByTestId('run-error')).toContainText('back up to the second region first');
  await expect(inspector.getByTestId('decision')).toHaveAttribute('data-decision', 'rejected');

  // Resume asks again: a fresh question, with the earlier rejection kept in the history.
  await page.getByTestId('resume-run').click();
  await expect(phaseNode(page, 'review')).toHaveAttribute('data-status', 'waiting');
  await expect(panel.getByRole('textbox', { name: 'Comment' })).toHaveValue('');
  await expect(inspector.getByTestId('decision')).toHaveCount(1);

  // Someone decides on the command line while this page hears nothing of it (its events
  // are held back): Approve here is refused, saying who decided.
  const held: string[] = [];
  let hold = false;
  await page.routeWebSocket(/./, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((message) => {
      if (hold && typeof message === 'string' && (JSON.parse(message) as { kind?: string }).kind === 'event') held.push(message);
      else ws.send(message);
    });
  });
  await page.reload();
  await phaseNode(page, 'review').click();
  await expect(panel.getByTestId('approval-prompt')).toBeVisible();
  hold = true;
  await promisify(execFile)(process.execPath, [CLI, 'reject', runId, 'review', '--reason', 'the freeze is on', '--db', waymark.db]).catch((err: { code?: number }) => {
    if (err.code !== 1) throw err; // the run failed: exit code 1
  });
  await panel.getByRole('textbox', { name: 'Comment' }).fill('ship it');
  await panel.getByRole('button', { name: 'Approve' }).click();
  await expect(panel.getByTestId('approval-problem')).toContainText('Could not approve:');
  await expect(panel.getByTestId('approval-problem')).toContainText('already rejected by');
  await expect(panel.getByRole('textbox', { name: 'Comment' })).toBeFocused();
  expect((await waymark.show(runId)).status).toBe('failed');
});

test('a waiting run can be cancelled from its header; the approval ends interrupted', async ({ page, waymark }) => {
  const runId = await waitingRun(page, waymark);
  await page.getByTestId('cancel-run').click();
  await expect(page.getByTestId(`run-row-${runId}`)).toHaveAttribute('data-status', 'cancelled');
  await expect(phaseNode(page, 'review')).toHaveAttribute('data-status', 'interrupted');
  await expect(page.getByTestId('resume-run')).toBeVisible();
  expect((await waymark.show(runId)).status).toBe('cancelled');
});
