/**
 * An agent phase against a real fake LLM server (an HTTP server on port 0 speaking the
 * OpenAI protocol from a script): live streamed text, the transcript with a tool call
 * and its result, Cancel mid-answer, then Resume continuing the saved conversation.
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
  - id: gather
    kind: command
    run: echo "SQLite WAL lets readers and a writer work at once"
  - id: write
    kind: agent
    depends_on: [gather]
    system: You write short notes.
    prompt: "Write notes.md from this fact: {{phases.gather.output}}"
    tools: [write_file, read_file]
`;

const writeNotes: ReplyScript = {
  type: 'reply',
  toolCalls: [{ id: 'call_1', name: 'write_file', args: { path: 'notes.md', content: '# Notes\n- WAL: readers and a writer at once\n' } }],
  usage: { input: 120, output: 30 },
};

let fake: FakeLlmServer | undefined;
test.afterEach(async () => {
  await fake?.close();
});

test('an agent phase streams live, shows its transcript, and resumes after Cancel', async ({ page, waymark }) => {
  fake = await startFakeLlm('openai', [writeNotes, hang('Drafting the summary of notes.md')]);
  waymark.writeFlow('agent-notes.yaml', flow(fake.baseURL));
  await page.goto(waymark.server.url);
  const runId = await startFlow(page, 'agent-notes');

  await expect(phaseNode(page, 'write')).toHaveAttribute('data-status', 'running');
  await phaseNode(page, 'write').click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector.getByTestId('inspector-streaming')).toHaveText('Drafting the summary of notes.md');

  const entries = inspector.getByTestId('transcript-entry');
  await expect(entries).toHaveCount(4);
  await expect(entries.nth(0)).toHaveAttribute('data-role', 'system');
  await expect(entries.nth(1)).toContainText('Write notes.md from this fact: SQLite WAL');
  await expect(entries.nth(2)).toHaveAttribute('data-role', 'assistant');
  await expect(entries.nth(2)).toContainText('write_file');
  // The file the model wrote reads as a file under its path, not as an escaped JSON string.
  await expect(entries.nth(2).getByTestId('tool-call')).toHaveAttribute('data-shape', 'file');
  await expect(entries.nth(2).locator('.tool-path')).toHaveText('notes.md');
  await expect(entries.nth(2).getByTestId('tool-file-content')).toHaveText('# Notes\n- WAL: readers and a writer at once\n');
  // Each entry has its time; the answer also how long the model took.
  await expect(entries.nth(0).getByTestId('transcript-time')).toHaveText(/^\d\d:\d\d:\d\d$/);
  await expect(entries.nth(2).getByTestId('transcript-time')).toHaveText(/^\d\d:\d\d:\d\d · \d+(ms|\.\ds)$/);
  await expect(entries.nth(2)).toContainText('120 in · 30 out');
  await expect(entries.nth(3)).toHaveAttribute('data-role', 'tool');
  await expect(inspector.locator('[data-fact="Input tokens"] dd')).toHaveText('120');

  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId(`run-row-${runId}`)).toHaveAttribute('data-status', 'cancelled');
  await expect(phaseNode(page, 'write')).toHaveAttribute('data-frontier', 'true');
  await expect(inspector.getByTestId('inspector-streaming')).toBeHidden();

  fake.enqueue(say('Wrote notes.md with one fact.', { input: 200, output: 12 }));
  await page.getByTestId('resume-run').click();
  await expect(phaseNode(page, 'write')).toHaveAttribute('data-status', 'succeeded');
  await expect(inspector.getByTestId('inspector-output')).toHaveText('Wrote notes.md with one fact.');
  await expect(entries.last()).toContainText('Wrote notes.md with one fact.');
  await expect(inspector.locator('[data-role="notice"]').first()).toBeVisible();
  await expect(page.getByTestId(`run-row-${runId}`)).toHaveAttribute('data-status', 'succeeded');

  // The tool call was not made again: three model requests in all, one write.
  expect(fake.modelRequests).toHaveLength(3);
  const shown = await waymark.show(runId);
  expect(Object.fromEntries(shown.phases.map((p) => [p.id, p.attempts]))).toEqual({ gather: 1, write: 2 });
});
