/**
 * A command's log in the inspector (issue 12): one panel, stdout and stderr interleaved,
 * terminal colours drawn (and HTML kept as text), search, the whole log viewable and
 * downloadable, the command line, and live lines while the command runs.
 */
import { readFileSync } from 'node:fs';
import { expect, phaseNode, startFlow, test } from './fixtures';
import { shoot } from './screenshot';


for (const scheme of ['light', 'dark'] as const) {
  test(`a command's log: colours, search, whole log, download (${scheme})`, async ({ page, waymark }, info) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(waymark.server.url);
    await startFlow(page, 'colour-log');
    await expect(phaseNode(page, 'watch')).toHaveAttribute('data-status', 'running');

    // Live: the running phase's log streams in.
    await phaseNode(page, 'watch').click();
    const log = page.getByTestId('inspector-log');
    await expect(log).toHaveAttribute('data-source', 'live');
    await expect(log.getByTestId('log-lines')).toContainText('watching the build');
    waymark.openGates('watch');
    await expect(phaseNode(page, 'watch')).toHaveAttribute('data-status', 'succeeded');
    await expect(log).toHaveAttribute('data-source', 'whole');
    await expect(log.locator('.ansi-fg-magenta')).toHaveText('gate opened');

    // The long log: its last part, coloured, stderr interleaved, HTML as text.
    await phaseNode(page, 'build').click();
    await expect(log).toHaveAttribute('data-source', 'tail');
    await expect(page.getByTestId('inspector-command')).toContainText("awk 'BEGIN");
    await expect(log.getByTestId('log-partial')).toContainText('View whole log');
    const lines = log.getByTestId('log-lines');
    // The end of both streams (which of two pipes is read first at the very end is the OS's call).
    await expect(lines).toContainText('step 59999 ok');
    await expect(lines.locator('.log-row.log-stdout').last()).toContainText('done');
    await expect(lines.locator('.log-row.log-stderr').last()).toContainText('error: the needle is here');
    await expect(lines.locator('.log-row.log-stderr .ansi-fg-red').last()).toHaveText('error:');
    await expect(lines.locator('.ansi-fg-cyan').first()).toHaveText('ok');
    await expect(page.getByTestId('inspector').locator('script')).toHaveCount(0);
    expect(await lines.innerText()).not.toContain('\u001b');

    // Search: the match is marked and counted.
    await log.getByTestId('log-search').fill('needle');
    await expect(log.getByTestId('log-count')).toHaveText('1 of 1');
    await expect(lines.locator('mark.log-match.current')).toHaveText('needle');
    await shoot(page, info, scheme === 'dark' ? 'log-panel-dark' : 'log-panel');

    // The HTML line is the stderr stream's first, in the tail view too (stderr is short).
    await log.getByRole('button', { name: 'stderr', exact: true }).click();
    await expect(lines.locator('.log-row').first()).toContainText('warning: <script>alert(1)</script> stays text');
    await log.getByRole('button', { name: 'All', exact: true }).click();

    // Download: the whole log, as text.
    const [download] = await Promise.all([page.waitForEvent('download'), log.getByTestId('log-download').click()]);
    expect(download.suggestedFilename()).toMatch(/^[a-z0-9]+-build-try1\.log$/);
    const text = readFileSync(await download.path(), 'utf8');
    const got = text.split('\n');
    expect(got[0]).toMatch(/^\$ printf/);
    expect(text).not.toContain('\u001b');
    expect(got).toContain('✓ compiled 12 modules');
    expect(got).toContain('warning: <script>alert(1)</script> stays text');
    expect(got).toContain('step 00000 ok');
    expect(got).toContain('step 59999 ok');
    expect(got.filter((l) => l.startsWith('step '))).toHaveLength(60_000);
    expect(got.slice(-3).sort()).toEqual(['', 'done', 'error: the needle is here']);

    // The whole log in the large view: its first line is there now, and search finds it.
    await log.getByTestId('log-view-whole').click();
    const dialog = page.getByTestId('log-dialog');
    await expect(dialog.getByTestId('log-dialog-lines')).toBeVisible();
    await dialog.getByTestId('log-dialog-search').fill('compiled');
    await expect(dialog.getByTestId('log-dialog-count')).toHaveText('1 of 1');
    // The match is marked inside the command's green, bold text.
    await expect(dialog.locator('.ansi-fg-green.ansi-bold mark.log-match.current')).toHaveText('compiled');
    await expect(dialog.locator('.log-row', { has: page.locator('mark.current') })).toContainText('✓ compiled 12 modules');
    await shoot(page, info, scheme === 'dark' ? 'log-dialog-dark' : 'log-dialog');
    await page.keyboard.press('Escape'); // clears the search
    await page.keyboard.press('Escape'); // closes the dialog
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('inspector')).toBeVisible();
  });
}
