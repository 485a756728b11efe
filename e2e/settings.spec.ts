/**
 * Settings in serve mode: keys come from the server's environment, read-only, and a key
 * that is set is shown as set, never with its value.
 */
import { expect, test } from './fixtures';
import { shoot } from './screenshot';


const SECRET = 'sk-e2e-settings-never-shown-1234';
let saved: string | undefined;

// The server inherits this process's environment (e2e/fixtures.ts).
test.beforeAll(() => {
  saved = process.env.ANTHROPIC_API_KEY;
  process.env.ANTHROPIC_API_KEY = SECRET;
});
test.afterAll(() => {
  if (saved === undefined) delete process.env.ANTHROPIC_API_KEY;
  else process.env.ANTHROPIC_API_KEY = saved;
});

test('serve mode shows that keys come from the server environment, read-only, without values', async ({ page, waymark }, info) => {
  await page.goto(waymark.server.url);
  await page.getByTestId('nav-settings').click();
  await expect(page).toHaveURL(/#\/settings$/);

  const storage = page.getByTestId('storage-state');
  await expect(storage).toHaveAttribute('data-storage', 'environment');
  await expect(storage).toHaveAttribute('data-writable', 'false');
  await expect(storage).toContainText('Read-only: keys come from the server’s environment');
  await expect(page.getByTestId('storage-notice')).toContainText('read from the environment of waymark serve');

  await expect(page.getByTestId('key-ANTHROPIC_API_KEY')).toHaveAttribute('data-source', 'environment');
  await expect(page.getByTestId('key-ANTHROPIC_API_KEY')).toContainText('From the environment');
  await expect(page.getByTestId('key-OPENAI_API_KEY')).toBeVisible();
  // Read-only: nothing to set or clear, and no value anywhere on the page.
  await expect(page.getByRole('button', { name: /^(Set…|Replace…|Clear)$/ })).toHaveCount(0);
  await expect(page.locator('input[type="password"]')).toHaveCount(0);
  expect(await page.content()).not.toContain(SECRET);
  await shoot(page, info, 'settings-serve');

  // The address opens Settings directly.
  await page.reload();
  await expect(page.getByTestId('storage-state')).toHaveAttribute('data-storage', 'environment');
});

/**
 * The desktop app's Settings (a keychain is available), rendered by the same page with a
 * stand-in `window.waymark` (the preload's bridge, answering envelopes): set a key through a password box,
 * see it stored, clear it. What the page sends is recorded; no answer holds a value.
 */
test('with a keychain (desktop), a key is set through a password box and cleared, its value never shown', async ({ page, waymark }, info) => {
  await page.addInitScript(() => {
    const stored = new Set<string>();
    const sent: unknown[] = [];
    const status = () => ({
      storage: 'encrypted',
      backend: 'gnome_libsecret',
      writable: true,
      keys: ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', ...[...stored].filter((n) => !n.startsWith('OPENAI') && !n.startsWith('ANTHROPIC'))].map((name) => ({
        name,
        source: stored.has(name) ? 'stored' : 'missing',
        inEnvironment: false,
      })),
    });
    const handlers: Record<string, (req: { name: string; value?: string }) => unknown> = {
      'settings.get': () => status(),
      'settings.setKey': (req) => (sent.push(req), stored.add(req.name), status()),
      'settings.clearKey': (req) => (sent.push(req), stored.delete(req.name), status()),
      'runs.list': () => ({ runs: [], next: null }),
    };
    (window as unknown as { __sent: unknown[] }).__sent = sent;
    (window as unknown as { waymark: unknown }).waymark = new Proxy(
      { onEvent: () => () => {} },
      // Like the preload's bridge: every channel answers the ApiResult envelope.
      { get: (target, channel: string) => (channel in target ? target[channel as 'onEvent'] : async (req: never) => (handlers[channel] ? { ok: true, value: handlers[channel](req) } : { ok: false, error: { code: 'INTERNAL', message: `not faked: ${channel}` } })) },
    );
  });
  await page.goto(`${waymark.server.url}#/settings`);

  const storage = page.getByTestId('storage-state');
  await expect(storage).toHaveAttribute('data-storage', 'encrypted');
  await expect(storage).toContainText('Keys are encrypted with the OS keychain');
  await expect(storage).toContainText('gnome_libsecret');

  await page.getByTestId('set-OPENAI_API_KEY').click();
  const value = page.getByTestId('value-OPENAI_API_KEY');
  await expect(value).toHaveAttribute('type', 'password');
  await value.fill('sk-desktop-secret-5678');
  await value.press('Enter');
  await expect(page.getByTestId('key-OPENAI_API_KEY')).toHaveAttribute('data-source', 'stored');
  await expect(page.getByTestId('key-OPENAI_API_KEY')).toContainText('Stored (encrypted)');
  await expect(page.locator('input[type="password"]')).toHaveCount(1); // only the "another key" box, empty
  await expect(page.locator('input[type="password"]')).toHaveValue('');
  expect(await page.content()).not.toContain('sk-desktop-secret-5678');
  await page.getByTestId('set-ANTHROPIC_API_KEY').click();
  await shoot(page, info, 'settings-desktop');
  await page.getByRole('button', { name: 'Cancel' }).click();

  await page.getByTestId('clear-OPENAI_API_KEY').click();
  await expect(page.getByTestId('key-OPENAI_API_KEY')).toHaveAttribute('data-source', 'missing');
  expect(await page.evaluate(() => (window as unknown as { __sent: unknown[] }).__sent)).toEqual([
    { name: 'OPENAI_API_KEY', value: 'sk-desktop-secret-5678' },
    { name: 'OPENAI_API_KEY' },
  ]);
});
