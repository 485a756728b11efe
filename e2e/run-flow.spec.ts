import { expect, phaseNode, startFlow, test } from './fixtures';
import { recordStatuses, statusLog } from './status-recorder';

test('starts a flow from the dialog and watches its phases run, then succeed', async ({ page, waymark }) => {
  await page.goto(waymark.server.url);
  await expect(page.getByTestId('runs-list')).toBeVisible();
  await recordStatuses(page);

  const runId = await startFlow(page, 'pipeline', { topic: 'e2e' });

  await expect(phaseNode(page, 'prepare')).toHaveAttribute('data-status', 'running');
  await expect(phaseNode(page, 'analyse')).toHaveAttribute('data-status', 'pending');
  waymark.openGates('prepare');
  await expect(phaseNode(page, 'prepare')).toHaveAttribute('data-status', 'succeeded');
  await expect(phaseNode(page, 'analyse')).toHaveAttribute('data-status', 'running');
  await expect(phaseNode(page, 'summarise')).toHaveAttribute('data-status', 'running');
  await expect(phaseNode(page, 'publish')).toHaveAttribute('data-status', 'pending');
  waymark.openGates('analyse', 'summarise');
  for (const id of ['analyse', 'summarise', 'publish']) {
    await expect(phaseNode(page, id)).toHaveAttribute('data-status', 'succeeded');
  }
  await expect(page.getByTestId(`run-row-${runId}`)).toHaveAttribute('data-status', 'succeeded');
  await expect(page.getByTestId('run-view').locator('.run-title [data-status]')).toHaveAttribute('data-status', 'succeeded');

  // The whole history each node showed: nothing skipped a state or went backwards.
  const log = await statusLog(page);
  expect(['pending,running,succeeded', 'running,succeeded']).toContain(log.prepare?.join());
  expect(log.analyse).toEqual(['pending', 'running', 'succeeded']);
  expect(log.summarise).toEqual(['pending', 'running', 'succeeded']);
  expect(log.publish?.at(-1)).toBe('succeeded');
  expect(Object.values(log).flat()).not.toContain('failed');

  const shown = await waymark.show(runId);
  expect(shown.status).toBe('succeeded');
  expect(shown.phases.find((p) => p.id === 'publish')?.output).toBe('published summary of prepared e2e');
});
