/**
 * Optional phases are marked on their node and in the inspector, and a failed optional
 * phase reads as a warning the run went past, not as the run's failure.
 */
import { expect, phaseNode, startFlow, test } from './fixtures';

const FLOW = `name: with-optional
phases:
  - id: build
    kind: command
    run: echo built
  - id: lint
    kind: command
    optional: true
    depends_on: [build]
    run: echo "style problems" >&2; exit 3
  - id: lint_report
    kind: command
    depends_on: [lint]
    run: echo report
  - id: package
    kind: command
    depends_on: [build]
    run: echo packaged
`;

test('an optional phase is marked, and its failure does not look like the run failing', async ({ page, waymark }) => {
  waymark.writeFlow('with-optional.yaml', FLOW);
  await page.goto(waymark.server.url);
  const runId = await startFlow(page, 'with-optional');
  await expect(page.getByTestId(`run-row-${runId}`)).toHaveAttribute('data-status', 'succeeded');

  const lint = phaseNode(page, 'lint');
  await expect(lint).toHaveAttribute('data-status', 'failed');
  await expect(lint).toHaveAttribute('data-optional', 'true');
  await expect(lint).toContainText('optional');
  await expect(phaseNode(page, 'package')).toHaveAttribute('data-optional', 'false');
  await expect(phaseNode(page, 'lint_report')).toHaveAttribute('data-status', 'skipped');
  // A warning colour, not the failed red of a required phase.
  const colours = await lint.evaluate((el) => {
    const node = getComputedStyle(el).borderTopColor;
    const probe = document.createElement('div');
    probe.className = 'phase-node state-failed';
    document.body.append(probe);
    const required = getComputedStyle(probe).borderTopColor;
    probe.remove();
    return { node, required };
  });
  expect(colours.node).not.toBe(colours.required);
  await expect(page.getByTestId('run-error')).toHaveCount(0);

  await lint.click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector.getByTestId('optional-mark')).toBeVisible();
  await expect(inspector).toContainText('the run went on without it');
});
