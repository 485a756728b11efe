import { expect, phaseNode, startFlow, test } from './fixtures';

test('after kill -9 the run is found interrupted and resumes without re-running completed phases', async ({ page, waymark }) => {
  await page.goto(waymark.server.url);
  const runId = await startFlow(page, 'long-wait');
  await expect(phaseNode(page, 'prepare')).toHaveAttribute('data-status', 'succeeded');
  await expect(phaseNode(page, 'wait')).toHaveAttribute('data-status', 'running');
  const before = await waymark.show(runId);
  const prepared = before.phases.find((p) => p.id === 'prepare')?.output;

  // Another app on the same database shows the run, but cannot cancel it: it says why.
  const watcher = await waymark.startServer();
  const other = await page.context().newPage();
  await other.goto(`${watcher.url.split('#')[0]}#/runs/${runId}`);
  const cancel = other.getByTestId('cancel-run');
  await expect(cancel).toBeDisabled();
  await expect(other.locator('.cancel-elsewhere')).toHaveAttribute('title', /executed by \S+:\d+, not by this app/);
  await other.close();
  await waymark.kill9(watcher);

  await waymark.kill9(waymark.server);
  await expect(page.getByTestId('connection-banner')).toBeVisible();

  const second = await waymark.startServer();
  await page.goto(second.url);
  const row = page.getByTestId(`run-row-${runId}`);
  await expect(row).toHaveAttribute('data-status', 'interrupted');
  await expect(row).toHaveClass(/highlighted/);
  await expect(page.getByTestId('interrupted-notice')).toBeVisible();

  waymark.openGates('wait');
  await row.getByRole('button', { name: /^Resume/ }).click();
  await expect(page.getByTestId('run-view')).toHaveAttribute('data-run-id', runId);
  await expect(phaseNode(page, 'finish')).toHaveAttribute('data-status', 'succeeded');
  await expect(row).toHaveAttribute('data-status', 'succeeded');
  await expect(page.getByTestId('interrupted-notice')).toBeHidden();

  // prepare ran once, and its saved output fed finish; wait ran again.
  await phaseNode(page, 'prepare').click();
  await expect(page.getByTestId('inspector').locator('[data-fact="Tries"] dd')).toHaveText('1');
  const after = await waymark.show(runId);
  const byId = Object.fromEntries(after.phases.map((p) => [p.id, p]));
  expect(after.status).toBe('succeeded');
  expect(byId.prepare?.attempts).toBe(1);
  expect(byId.prepare?.output).toBe(prepared);
  expect(byId.wait?.attempts).toBe(2);
  expect(byId.finish?.output).toBe(`finished after ${prepared}`);
});
