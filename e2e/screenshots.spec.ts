/**
 * Screenshots of the main views, from a real server with real runs. They are written to
 * docs/screenshots/ when WAYMARK_SCREENSHOTS=1 (to refresh the docs), otherwise to the
 * test's output folder; either way the views are checked to render.
 */
import { join } from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { startFakeLlm } from '../electron/testing/fake-llm-server';
import { hang } from '../electron/testing/fake-llm-script';
import { expect, phaseNode, startFlow, test } from './fixtures';

const DOCS = join(import.meta.dirname, '..', 'docs', 'screenshots');

/** The graph's pan/zoom, to wait until an animated pan has come to rest. */
const viewportTransform = (page: Page) => page.evaluate(() => document.querySelector<HTMLElement>('.react-flow__viewport')?.style.transform ?? '');

async function shoot(page: Page, info: TestInfo, name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  let last = await viewportTransform(page);
  await expect
    .poll(async () => {
      const now = await viewportTransform(page);
      const still = now === last;
      last = now;
      return still;
    }, { intervals: [150] })
    .toBe(true);
  const path = process.env.WAYMARK_SCREENSHOTS === '1' ? join(DOCS, `${name}.png`) : info.outputPath(`${name}.png`);
  await page.screenshot({ path, animations: 'disabled' });
}

async function makeRuns(page: Page, waymark: Parameters<Parameters<typeof test>[2]>[0]['waymark']): Promise<{ failed: string; crashed: string }> {
  await page.goto(waymark.server.url);
  await startFlow(page, 'hello', { name: 'Ada Lovelace' });
  await expect(phaseNode(page, 'report')).toHaveAttribute('data-status', 'succeeded');
  waymark.openGates('prepare', 'analyse', 'summarise');
  await startFlow(page, 'pipeline');
  await expect(phaseNode(page, 'publish')).toHaveAttribute('data-status', 'succeeded');
  const failed = await startFlow(page, 'flaky-build');
  await expect(phaseNode(page, 'test')).toHaveAttribute('data-status', 'failed');
  const crashed = await startFlow(page, 'long-wait');
  await expect(phaseNode(page, 'wait')).toHaveAttribute('data-status', 'running');
  await waymark.kill9(waymark.server);
  const second = await waymark.startServer();
  await page.goto(second.url);
  await expect(page.getByTestId(`run-row-${crashed}`)).toHaveAttribute('data-status', 'interrupted');
  return { failed, crashed };
}

for (const scheme of ['light', 'dark'] as const) {
  test(`screenshots of the main views (${scheme})`, async ({ page, waymark }, info) => {
    await page.emulateMedia({ colorScheme: scheme });
    const suffix = scheme === 'dark' ? '-dark' : '';
    const { failed, crashed } = await makeRuns(page, waymark);

    await page.getByTestId(`run-row-${crashed}`).getByRole('button').first().click();
    await expect(phaseNode(page, 'wait')).toHaveAttribute('data-frontier', 'true');
    await expect(page.getByTestId('resume-summary')).toBeVisible();
    await shoot(page, info, `runs-list${suffix}`);

    await page.getByTestId(`run-row-${failed}`).getByRole('button').first().click();
    await expect(phaseNode(page, 'test')).toHaveAttribute('data-frontier', 'true');
    await expect(page.getByTestId('resume-summary')).toBeVisible();
    await shoot(page, info, `run-failed-frontier${suffix}`);

    await phaseNode(page, 'test').click();
    await expect(page.getByTestId('inspector').locator('.log-row.log-stderr').first()).toBeVisible();
    await shoot(page, info, `inspector-failed${suffix}`);

    await page.getByTestId('runs-list').getByText('hello').click();
    await expect(phaseNode(page, 'report')).toBeVisible();
    await phaseNode(page, 'report').click();
    await expect(page.getByTestId('inspector-log').getByTestId('log-lines')).toContainText('HELLO, ADA LOVELACE!');
    await shoot(page, info, `inspector-output${suffix}`);

    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'New run' }).click();
    await page.getByTestId('flow-option-hello').click();
    await expect(page.locator('input[name="input-name"]')).toHaveValue('world');
    await shoot(page, info, `start-dialog${suffix}`);
  });
}

const agentFlow = (baseURL: string) => `name: agent-report
providers:
  fake: { type: openai-compatible, base_url: "${baseURL}" }
defaults:
  model: fake:demo
phases:
  - id: collect
    kind: command
    run: cat notes.md
  - id: outline
    kind: command
    depends_on: [collect]
    run: echo "1. readers and writers  2. checkpoints  3. recovery"
  - id: write_report
    kind: agent
    depends_on: [collect, outline]
    system: You write concise technical reports.
    prompt: "Write report.md about SQLite WAL. Notes: {{phases.collect.output}} Outline: {{phases.outline.output}}"
    tools: [read_file, write_file]
  - id: check
    kind: command
    depends_on: [write_report]
    run: test -s report.md && wc -w < report.md
`;

for (const scheme of ['light', 'dark'] as const) {
  test(`screenshot of an agent phase streaming (${scheme})`, async ({ page, waymark }, info) => {
    await page.emulateMedia({ colorScheme: scheme });
    const fake = await startFakeLlm('openai', [
      { type: 'reply', text: 'I will read the notes first.', toolCalls: [{ id: 'call_1', name: 'read_file', args: { path: 'notes.md' } }], usage: { input: 412, output: 38 } },
      { type: 'reply', toolCalls: [{ id: 'call_2', name: 'write_file', args: { path: 'report.md', content: '# SQLite WAL\n\nReaders never block the writer.\n' } }], usage: { input: 530, output: 61 } },
      hang('report.md is written. It covers three points: readers never block the writer, checkpoints copy pages back to the database file, and'),
    ]);
    try {
      waymark.writeFlow('notes.md', '- WAL lets readers and a writer work at once\n');
      waymark.writeFlow('agent-report.yaml', agentFlow(fake.baseURL));
      await page.goto(waymark.server.url);
      await startFlow(page, 'agent-report');
      await expect(phaseNode(page, 'write_report')).toHaveAttribute('data-status', 'running');
      await phaseNode(page, 'write_report').click();
      const inspector = page.getByTestId('inspector');
      await expect(inspector.getByTestId('inspector-streaming')).toContainText('It covers three points');
      await expect(inspector.getByTestId('transcript-entry')).toHaveCount(6);
      await inspector.getByTestId('inspector-streaming').scrollIntoViewIfNeeded();
      await shoot(page, info, `inspector-agent${scheme === 'dark' ? '-dark' : ''}`);
    } finally {
      await fake.close();
    }
  });
}
