/**
 * An interrupted agent phase offers Continue (the default) and Restart phase in the
 * inspector (issue 12, SPEC §4 "Mid-phase continuation"): Continue resumes the run and the
 * model sees the saved conversation (its tool call and result are not repeated); Restart
 * phase resumes it with the phase started over (a fresh conversation). Both tries of the
 * phase stay in its history, and the transcript shows each try under its heading.
 */
import { startFakeLlm, type FakeLlmServer } from '../electron/testing/fake-llm-server';
import { hang, say, type ReplyScript } from '../electron/testing/fake-llm-script';
import { expect, phaseNode, startFlow, test } from './fixtures';

const flow = (baseURL: string) => `name: agent-notes
providers:
  fake: { type: openai-compatible, base_url: "${baseURL}" }
defaults:
  model: fake:test-model
phases:
  - id: write
    kind: agent
    system: You write short notes.
    prompt: Write notes.md.
    tools: [write_file]
`;

const writeNotes: ReplyScript = { type: 'reply', toolCalls: [{ id: 'call_1', name: 'write_file', args: { path: 'notes.md', content: '# Notes\n' } }], usage: { input: 50, output: 10 } };
/** The roles of the messages the model was sent in its `n`th request (1-based). */
const roles = (fake: FakeLlmServer, n: number) => ((fake.modelRequests[n - 1]?.body as { messages: { role: string }[] }).messages ?? []).map((m) => m.role);

let fake: FakeLlmServer | undefined;
test.afterEach(async () => {
  await fake?.close();
});

test('an interrupted agent phase continues its saved conversation, or restarts from scratch', async ({ page, waymark }) => {
  fake = await startFakeLlm('openai', [writeNotes, hang('Drafting')]);
  waymark.writeFlow('agent-notes.yaml', flow(fake.baseURL));
  await page.goto(waymark.server.url);
  const runId = await startFlow(page, 'agent-notes');
  await phaseNode(page, 'write').click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector.getByTestId('inspector-streaming')).toHaveText('Drafting');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(phaseNode(page, 'write')).toHaveAttribute('data-status', 'interrupted');

  // Continue is the default: the resumed request carries the saved tool call and result.
  await expect(inspector.getByTestId('continue-phase')).toHaveClass(/primary/);
  fake.enqueue(say('Wrote notes.md.'));
  await inspector.getByTestId('continue-phase').click();
  await expect(phaseNode(page, 'write')).toHaveAttribute('data-status', 'succeeded');
  expect(fake.modelRequests).toHaveLength(3);
  expect(roles(fake, 3)).toEqual(['system', 'user', 'assistant', 'tool']);
  await expect(inspector.getByTestId('continue-phase')).toHaveCount(0);
  await expect(inspector.getByTestId('inspector-tries').getByRole('tab')).toHaveCount(2);
  await expect(inspector.getByTestId('transcript-try-1')).toBeVisible();
  await expect(inspector.getByTestId('transcript-try-2')).toBeVisible();
  // The first try alone: its entries, not the second's answer.
  await inspector.getByTestId('try-tab-1').click();
  await expect(inspector.getByTestId('try-view').getByTestId('transcript')).toContainText('write_file');
  await expect(inspector.getByTestId('try-view').getByTestId('transcript')).not.toContainText('Wrote notes.md.');

  // A second run, interrupted the same way, restarted: a fresh conversation.
  fake.enqueue(writeNotes, hang('Drafting again'));
  const second = await startFlow(page, 'agent-notes');
  expect(second).not.toBe(runId);
  await phaseNode(page, 'write').click();
  await expect(inspector.getByTestId('inspector-streaming')).toHaveText('Drafting again');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(inspector.getByTestId('restart-phase')).toBeVisible();
  fake.enqueue(say('Started over.'));
  await inspector.getByTestId('restart-phase').click();
  await expect(phaseNode(page, 'write')).toHaveAttribute('data-status', 'succeeded');
  expect(fake.modelRequests).toHaveLength(6);
  expect(roles(fake, 6)).toEqual(['system', 'user']);
});
