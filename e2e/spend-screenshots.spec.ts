/**
 * Screenshots of people in the loop and spending (issue 11), light and dark: the inspector
 * of an approval that waits, the budget banner, and the runs list with costs beside a
 * resumed run's header and a model step's cost. Written to docs/screenshots/ when
 * WAYMARK_SCREENSHOTS=1 (to refresh the docs), otherwise to the test's output folder;
 * either way the views are checked to render.
 */
import { startFakeLlm, type FakeLlmServer } from '../electron/testing/fake-llm-server';
import { say } from '../electron/testing/fake-llm-script';
import { expect, phaseNode, startFlow, test } from './fixtures';
import { pricedNotesFlow, writeNotesReply } from './priced-flow';
import { shoot } from './screenshot';

const UNPRICED = (baseURL: string) => `name: local-summary
providers:
  local: { type: openai-compatible, base_url: "${baseURL}" }
defaults:
  model: local:llama3.2
phases:
  - id: summarise
    kind: agent
    prompt: "Summarise the release notes."
`;

const GATE = `name: release-gate
phases:
  - id: plan
    kind: command
    run: printf '1. back up the database\\n2. apply migration 042 (adds the invoices.status index)\\n3. restart the workers one by one\\n'
  - id: checks
    kind: command
    run: echo "lint ok, 128 tests passed"
  - id: review
    kind: approval
    depends_on: [plan]
    prompt: |
      Apply this migration plan to production?

      {{phases.plan.output}}
      Approve (with a note for the deploy step, if any) or reject with the reason.
  - id: deploy
    kind: command
    depends_on: [review, checks]
    run: echo deploying {{phases.review.output}}
`;

let fake: FakeLlmServer | undefined;
test.afterEach(async () => {
  await fake?.close();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`screenshots of approvals, budgets and costs (${scheme})`, async ({ page, waymark }, info) => {
    const suffix = scheme === 'dark' ? '-dark' : '';
    await page.emulateMedia({ colorScheme: scheme });
    fake = await startFakeLlm('openai', [
      say('A short summary of the release.', { input: 1840, output: 212 }),
      say('1. WAL lets readers and a writer work at once.\n2. Checkpoints move pages back.', { input: 100, output: 50 }),
      writeNotesReply,
    ]);
    waymark.writeFlow('local-summary.yaml', UNPRICED(fake.baseURL));
    waymark.writeFlow('research-notes.yaml', pricedNotesFlow(fake.baseURL, { name: 'research-notes', description: 'Outline, then write notes, under a budget.', check: true }));
    waymark.writeFlow('release-gate.yaml', GATE);
    await page.goto(waymark.server.url);

    const unpriced = await startFlow(page, 'local-summary');
    await expect(page.getByTestId(`run-row-${unpriced}`)).toHaveAttribute('data-status', 'succeeded');
    const priced = await startFlow(page, 'research-notes');
    await expect(page.getByTestId(`run-row-${priced}`)).toHaveAttribute('data-status', 'waiting');
    const gate = await startFlow(page, 'release-gate');
    await expect(page.getByTestId(`run-row-${gate}`)).toHaveAttribute('data-status', 'waiting');

    await phaseNode(page, 'review').click();
    await expect(page.getByTestId('approval-panel').getByRole('textbox', { name: 'Comment' })).toBeFocused();
    await page.getByTestId('approval-panel').getByRole('textbox', { name: 'Comment' }).fill('Go ahead; keep the old workers running until the index is built.');
    await shoot(page, info, `approval-inspector${suffix}`);

    await page.keyboard.press('Escape');
    await page.getByTestId(`run-row-${priced}`).locator('.run-row-main').click();
    await expect(page.getByTestId('budget-banner')).toBeVisible();
    await shoot(page, info, `budget-banner${suffix}`);

    fake.enqueue(say('Wrote notes.md with the two facts.', { input: 300, output: 10 }));
    await page.getByTestId('budget-banner').getByRole('button', { name: 'Raise budget and resume' }).click();
    await expect(page.getByTestId(`run-row-${priced}`)).toHaveAttribute('data-status', 'succeeded');
    await expect(page.getByTestId('reuse-line')).toBeVisible();
    await phaseNode(page, 'write').click();
    await expect(page.getByTestId('inspector').getByTestId('step-usage')).toHaveCount(2);
    await shoot(page, info, `runs-list-costs${suffix}`);
  });
}
