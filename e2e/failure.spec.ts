import { expect, phaseNode, startFlow, test } from './fixtures';

test('a failing flow shows the failed phase and the frontier, and resumes from there', async ({ page, waymark }) => {
  await page.goto(waymark.server.url);
  const runId = await startFlow(page, 'flaky-build');

  await expect(phaseNode(page, 'test')).toHaveAttribute('data-status', 'failed');
  await expect(page.getByTestId(`run-row-${runId}`)).toHaveAttribute('data-status', 'failed');
  await expect(phaseNode(page, 'test')).toHaveAttribute('data-frontier', 'true');
  await expect(phaseNode(page, 'fetch')).toHaveAttribute('data-status', 'succeeded');
  await expect(phaseNode(page, 'build')).toHaveAttribute('data-status', 'succeeded');
  await expect(phaseNode(page, 'fetch')).toHaveAttribute('data-frontier', 'false');
  await expect(phaseNode(page, 'package')).toHaveAttribute('data-status', 'pending');
  await expect(phaseNode(page, 'package')).toHaveAttribute('data-frontier', 'false');
  await expect(page.getByTestId('run-error')).toContainText('phase "test"');
  await expect(page.getByTestId('resume-summary')).toContainText('reuses 2 completed phases');

  await phaseNode(page, 'test').click();
  const inspector = page.getByTestId('inspector');
  // The message, not the internal code (which stays in --json and logs).
  await expect(inspector.getByTestId('inspector-error')).toContainText('exited with');
  await expect(inspector.getByTestId('inspector-error')).not.toContainText('COMMAND_FAILED');
  await expect(inspector.getByTestId('inspector-error')).toHaveAttribute('data-code', 'COMMAND_FAILED');
  await expect(inspector.locator('.log-row.log-stderr')).toContainText(['test suite failed']);

  await page.getByTestId('resume-run').click();
  await expect(phaseNode(page, 'package')).toHaveAttribute('data-status', 'succeeded');
  await expect(page.getByTestId(`run-row-${runId}`)).toHaveAttribute('data-status', 'succeeded');
  await expect(phaseNode(page, 'test')).toHaveAttribute('data-frontier', 'false');

  const shown = await waymark.show(runId);
  const attempts = Object.fromEntries(shown.phases.map((p) => [p.id, p.attempts]));
  expect(attempts).toEqual({ fetch: 1, build: 1, test: 2, package: 1 });
});
