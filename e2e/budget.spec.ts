/**
 * Cost and budgets in the app (issue 11, points 1 and 2), against a fake OpenAI-protocol
 * server with a `prices:` entry: costs in the runs list, the header, the nodes and each
 * model step; the run stops at its budget, the banner says what was spent, refuses a
 * raise that is not one, and "Raise budget and resume" continues the saved conversation;
 * the resumed run says what reuse saved and what was spent again.
 *
 * Prices: $10 per million input tokens, $400 per million output tokens.
 *   outline  100 in · 50 out  → $0.021
 *   write    200 in · 30 out  → $0.014   (total $0.035: past the $0.03 budget, the run waits)
 *   write    300 in · 10 out  → $0.007   (after the raise to $0.06; total $0.042)
 */
import { startFakeLlm, type FakeLlmServer } from '../electron/testing/fake-llm-server';
import { say } from '../electron/testing/fake-llm-script';
import { expect, phaseNode, startFlow, test } from './fixtures';
import { pricedNotesFlow, writeNotesReply } from './priced-flow';

let fake: FakeLlmServer | undefined;
test.afterEach(async () => {
  await fake?.close();
});

test('costs show everywhere; a spent budget waits; raising it resumes the saved conversation', async ({ page, waymark }) => {
  fake = await startFakeLlm('openai', [say('1. WAL lets readers and a writer work at once.', { input: 100, output: 50 }), writeNotesReply]);
  waymark.writeFlow('priced-notes.yaml', pricedNotesFlow(fake.baseURL, { name: 'priced-notes' }));
  await page.goto(waymark.server.url);
  const runId = await startFlow(page, 'priced-notes');

  // Waiting at the budget: the row, the header, the nodes and the banner say it.
  const row = page.getByTestId(`run-row-${runId}`);
  await expect(row).toHaveAttribute('data-status', 'waiting');
  await expect(row.getByTestId('run-cost')).toHaveText('$0.035');
  await expect(row.getByTestId('run-waiting-for')).toHaveText('Budget reached: spent $0.035 of $0.03');
  const header = page.locator('.run-header');
  await expect(header.getByTestId('run-tokens')).toHaveText('300 in · 80 out tokens');
  await expect(header.getByTestId('run-cost')).toHaveText('$0.035');
  await expect(header.getByTestId('run-budget')).toHaveText('$0.03 · none left');
  await expect(phaseNode(page, 'outline').getByTestId('node-spend')).toHaveText('$0.021');
  await expect(phaseNode(page, 'outline').getByTestId('node-spend')).toHaveAttribute('title', '150 tokens · $0.021');
  await expect(phaseNode(page, 'write')).toHaveAttribute('data-status', 'waiting');
  await expect(phaseNode(page, 'write')).toContainText('budget reached');

  const banner = page.getByTestId('budget-banner');
  await expect(banner.getByTestId('budget-spent')).toContainText('This run spent $0.035 of $0.03.');
  const amount = banner.getByRole('textbox', { name: 'New budget' });
  await expect(amount).toHaveValue('0.06');

  // Each model step shows what it cost.
  await phaseNode(page, 'write').click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector.getByTestId('step-usage').first()).toHaveText('200 in · 30 out tokens · $0.014');
  await expect(inspector.locator('[data-fact="Cost"] dd')).toHaveText('$0.014');

  // A raise that is not one is refused, saying why; a real one resumes.
  await amount.fill('0.03');
  await banner.getByRole('button', { name: 'Raise budget and resume' }).click();
  await expect(banner.getByTestId('budget-problem')).toHaveText('Enter more than the $0.035 already spent, or the run stops again at once.');
  await expect(amount).toHaveAttribute('aria-invalid', 'true');
  fake.enqueue(say('Wrote notes.md.', { input: 300, output: 10 }));
  await amount.fill('0.06');
  await amount.press('Enter');

  await expect(row).toHaveAttribute('data-status', 'succeeded');
  await expect(banner).toBeHidden();
  await expect(header.getByTestId('run-cost')).toHaveText('$0.042');
  await expect(header.getByTestId('run-budget')).toHaveText('$0.06 · $0.018 left');
  await expect(row.getByTestId('run-cost')).toHaveText('$0.042');
  await expect(header.getByTestId('reuse-line')).toHaveText(
    'Resumed 1×: reusing 1 phase saved 100 in · 50 out tokens ($0.021); 1 phase that ran again spent 300 in · 10 out tokens ($0.007) again.',
  );
  await expect(inspector.getByTestId('step-usage').last()).toHaveText('300 in · 10 out tokens · $0.007');
  await expect(inspector.getByTestId('inspector-output')).toHaveText('Wrote notes.md.');

  // The saved conversation went on: three model requests in all, the tool call made once.
  expect(fake.modelRequests).toHaveLength(3);
  expect(Object.fromEntries((await waymark.show(runId)).phases.map((p) => [p.id, p.attempts]))).toEqual({ outline: 1, write: 2 });
});
