import WebSocket from 'ws';
import { expect, test } from './fixtures';

/** Opens the API socket and resolves with the HTTP status of a refusal, or 101 when it opened. */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', (err) => reject(err));
  });
}

test('the server refuses a wrong token, a missing token, a foreign Origin and a foreign Host', async ({ page, playwright, waymark }) => {
  const { port, token, url } = waymark.server;
  const base = `http://127.0.0.1:${port}`;
  // A fresh context per request: the first good request sets the token cookie.
  const status = async (target: string, headers: Record<string, string> = {}) => {
    const request = await playwright.request.newContext();
    const response = await request.get(target, { headers, maxRedirects: 0 });
    await request.dispose();
    return response.status();
  };

  expect(await status(url)).toBe(200);
  expect(await status(`${base}/?token=${'0'.repeat(token.length)}`)).toBe(403);
  expect(await status(`${base}/`)).toBe(403);
  expect(await status(url, { Origin: 'http://evil.example' })).toBe(403);
  expect(await status(url, { Host: `evil.example:${port}` })).toBe(403);

  const response = await page.goto(`${base}/?token=wrong`);
  expect(response?.status()).toBe(403);
  await expect(page.locator('h1')).toHaveText('This Waymark address is no longer valid');
  await expect(page.getByTestId('refused-fix')).toContainText('Open the address that waymark serve printed');

  const ws = `ws://127.0.0.1:${port}/ws`;
  expect(await upgradeStatus(`${ws}?token=${token}`, { Origin: base })).toBe(101);
  expect(await upgradeStatus(`${ws}?token=bad`, { Origin: base })).toBe(403);
  expect(await upgradeStatus(`${ws}?token=${token}`, { Origin: 'http://evil.example' })).toBe(403);
});
