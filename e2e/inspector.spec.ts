import { expect, phaseNode, startFlow, test } from './fixtures';

test('opens a phase and reads its log, command line and timings', async ({ page, waymark }) => {
  await page.goto(waymark.server.url);
  await startFlow(page, 'hello', { name: 'Ada' });
  await expect(phaseNode(page, 'report')).toHaveAttribute('data-status', 'succeeded');

  await phaseNode(page, 'report').click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector).toHaveAttribute('data-phase-id', 'report');
  // A command's output is its stdout: shown once, in its log, under the command line it ran.
  await expect(inspector.getByTestId('log-lines')).toHaveText(/HELLO, ADA! has 11 characters$/);
  await expect(inspector.getByTestId('inspector-output')).toHaveCount(0);
  await expect(inspector.getByTestId('inspector-command')).toContainText('$ ');
  await expect(inspector.locator('[data-fact="Tries"] dd')).toHaveText('1');
  await expect(inspector.locator('[data-fact="Exit code"] dd')).toHaveText('0');
  await expect(inspector.locator('[data-fact="Depends on"] dd')).toHaveText('shout, count');

  // Escape closes the inspector; the keyboard alone opens another phase.
  await page.keyboard.press('Escape');
  await expect(inspector).toBeHidden();
  await page.locator('.react-flow__node[data-id="greet"]').focus();
  await page.keyboard.press('Enter');
  await expect(inspector).toHaveAttribute('data-phase-id', 'greet');
  await expect(inspector.getByTestId('log-lines')).toHaveText(/Hello, Ada!$/);
});

test('shows a command phase’s stderr in the same log as its stdout', async ({ page, waymark }) => {
  waymark.openGates('prepare', 'analyse', 'summarise');
  await page.goto(waymark.server.url);
  await startFlow(page, 'pipeline');
  await expect(phaseNode(page, 'analyse')).toHaveAttribute('data-status', 'succeeded');
  await phaseNode(page, 'analyse').click();
  const inspector = page.getByTestId('inspector');
  const lines = inspector.getByTestId('log-lines');
  await expect(lines.locator('.log-row.log-stdout')).toContainText(['analysed']);
  await expect(lines.locator('.log-row.log-stderr')).toContainText(['a warning on stderr']);
  await inspector.getByRole('button', { name: 'stderr', exact: true }).click();
  await expect(lines.locator('.log-row')).toHaveCount(1);
});
