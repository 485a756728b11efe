/**
 * History in the app (issue 12, SPEC §4 and §5): a phase that fails and then succeeds on
 * resume shows both tries, the first one's error and stderr kept; the run header lists
 * its attempts; "Run again from here" on a succeeded run previews what is reused and what
 * runs, then starts a new run that reuses upstream (executed once: runs.log says so).
 * Screenshots, light and dark, into docs/screenshots with WAYMARK_SCREENSHOTS=1.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, phaseNode, startFlow, test } from './fixtures';
import { shoot } from './screenshot';



/** Which phases really ran, in order (each appends its id to runs.log). */
const executions = (root: string) => readFileSync(join(root, 'runs.log'), 'utf8').split('\n').filter(Boolean);

for (const scheme of ['light', 'dark'] as const) {
  test(`tries of a phase, the run's attempts, and run again from here (${scheme})`, async ({ page, waymark }, info) => {
    const suffix = scheme === 'dark' ? '-dark' : '';
    await page.setViewportSize({ width: 1360, height: 1040 });
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(waymark.server.url);
    const runId = await startFlow(page, 'history');
    await expect(phaseNode(page, 'build')).toHaveAttribute('data-status', 'failed');
    await page.getByTestId('resume-run').click();
    await expect(phaseNode(page, 'test')).toHaveAttribute('data-status', 'succeeded');
    await expect(page.getByTestId(`run-row-${runId}`)).toHaveAttribute('data-status', 'succeeded');
    // Its duration is what its attempts ran; the wall time (the pause before the resume included) beside it.
    await expect(page.getByTestId(`run-row-${runId}`).getByTestId('run-duration')).toHaveAttribute('title', /^Ran \S+ over its attempts; \S+ from start to end$/);
    await expect(page.getByTestId('run-wall')).toBeVisible();

    // Both tries of build: the latest shown, the first one's error and stderr a click away.
    await phaseNode(page, 'build').click();
    const inspector = page.getByTestId('inspector');
    const tries = inspector.getByTestId('inspector-tries');
    await expect(tries.getByRole('tab')).toHaveCount(2);
    await expect(tries.getByTestId('try-tab-1')).toHaveAttribute('data-status', 'failed');
    await expect(tries.getByTestId('try-tab-1')).toContainText('exited with code 2');
    await expect(tries.getByTestId('try-tab-2')).toHaveAttribute('aria-selected', 'true');
    await expect(inspector.getByTestId('inspector-log')).toContainText('built from');
    await tries.getByTestId('try-tab-1').click();
    const earlier = inspector.getByTestId('try-view');
    await expect(earlier).toHaveAttribute('data-attempt', '1');
    await expect(earlier.getByTestId('try-error')).toContainText('exited with code 2');
    await expect(earlier.getByTestId('inspector-log')).toHaveAttribute('data-attempt', '1');
    await expect(earlier.locator('.log-row.log-stderr')).toContainText(['error: missing header config.h']);
    await expect(earlier.getByTestId('inspector-command')).toContainText('.build-fixed');
    await expect(tries.getByTestId('try-tab-1')).toHaveAttribute('aria-selected', 'true');
    // Arrow keys move between tries.
    await page.keyboard.press('ArrowDown');
    await expect(tries.getByTestId('try-tab-2')).toHaveAttribute('aria-selected', 'true');
    await expect(inspector.getByTestId('try-view')).toHaveCount(0);
    await page.keyboard.press('ArrowUp');
    await expect(earlier).toBeVisible();
    await shoot(page, info, `history-tries${suffix}`);

    // The header: attempt 2 of 2, and each attempt when, how it ended, how long.
    await page.getByTestId('attempts-button').click();
    const popover = page.getByTestId('attempts-popover');
    await expect(popover.getByTestId('attempt-row-1')).toContainText('failed');
    await expect(popover.getByTestId('attempt-row-1')).toContainText('exited with code 2');
    await expect(popover.getByTestId('attempt-row-2')).toContainText('succeeded');
    await shoot(page, info, `history-attempts${suffix}`);
    await page.keyboard.press('Escape');
    await expect(popover).toHaveCount(0);
    await expect(inspector).toBeVisible();

    // Run again from build, on the succeeded run: the preview first.
    await inspector.getByTestId('rerun-from-here').click();
    const dialog = page.getByTestId('rerun-dialog');
    await expect(dialog.getByTestId('rerun-reused').locator('li')).toHaveText([/fetch/]);
    await expect(dialog.getByTestId('rerun-runs').locator('li')).toHaveText([/build.*runs first/, /test/]);
    await shoot(page, info, `rerun-preview${suffix}`);
    await dialog.getByTestId('rerun-start').click();
    await expect(dialog).toHaveCount(0);
    const view = page.getByTestId('run-view');
    await expect(view).not.toHaveAttribute('data-run-id', runId);
    const rerunId = (await view.getAttribute('data-run-id')) as string;
    await expect(page.getByTestId(`run-row-${rerunId}`)).toHaveAttribute('data-status', 'succeeded');
    await expect(page.getByTestId('rerun-origin')).toContainText(runId);
    await expect(page.getByTestId('rerun-origin')).toContainText('build');
    await expect(phaseNode(page, 'fetch')).toHaveAttribute('data-status', 'succeeded');
    // fetch ran once in all: the rerun reused its saved output.
    expect(executions(waymark.root)).toEqual(['fetch', 'build', 'build', 'test', 'build', 'test']);
    const shown = await waymark.show(rerunId);
    expect(shown.phases.map((p) => [p.id, p.attempts])).toEqual([['fetch', 0], ['build', 1], ['test', 1]]);

    // The link in the header goes back to the run it came from.
    await page.getByTestId('rerun-origin').getByRole('button').click();
    await expect(view).toHaveAttribute('data-run-id', runId);
  });
}
