/**
 * Serve mode across restarts (issue 12, point 6): the token is kept per database, so a
 * tab left open reconnects by itself when the server comes back; after a restart with
 * `--new-token` the same tab says what happened and what to do, and so does a reload.
 */
import { TOKEN_REFUSED } from '../shared/ws-protocol';
import { expect, test, type Server } from './fixtures';
import { shoot } from './screenshot';


async function stop(server: Server): Promise<void> {
  server.process.kill('SIGTERM');
  await server.exited;
}

test('an open tab reconnects after a restart, and explains a restart with a new token', async ({ page, waymark }, info) => {
  const { port, token, url } = waymark.server;
  await page.goto(url);
  await expect(page.getByRole('button', { name: 'New run' })).toBeVisible();
  const banner = page.getByTestId('connection-banner');

  // A restart keeps the token: the tab comes back by itself.
  await stop(waymark.server);
  await expect(banner).toHaveAttribute('data-connection', 'reconnecting');
  const same = await waymark.startServer(['--port', String(port)]);
  expect(same.url).toBe(url);
  await expect(banner).toBeHidden();
  await expect(page.getByRole('button', { name: 'New run' })).toBeEnabled();

  // A restart with --new-token: the tab says why it is refused and what to do.
  await stop(same);
  await expect(banner).toHaveAttribute('data-connection', 'reconnecting');
  const renewed = await waymark.startServer(['--port', String(port), '--new-token']);
  expect(renewed.token).not.toBe(token);
  await expect(banner).toHaveAttribute('data-connection', 'refused');
  await expect(banner).toContainText(TOKEN_REFUSED.title);
  await expect(banner).toContainText('restarted with a new token (waymark serve --new-token)');
  await expect(banner).toContainText(TOKEN_REFUSED.fix);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await shoot(page, info, `serve-token-refused-tab-${scheme}`);
  }

  // Reloading the old address: the server's page says the same.
  const reload = await page.reload();
  expect(reload?.status()).toBe(403);
  await expect(page.locator('h1')).toHaveText(TOKEN_REFUSED.title);
  await expect(page.getByTestId('refused-what')).toHaveText(TOKEN_REFUSED.what);
  await expect(page.getByTestId('refused-fix')).toHaveText(TOKEN_REFUSED.fix);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await shoot(page, info, `serve-token-refused-page-${scheme}`);
  }

  // The new address works.
  await page.goto(renewed.url);
  await expect(page.getByRole('button', { name: 'New run' })).toBeVisible();
  await expect(banner).toBeHidden();
});
