/** The app scheme serves dist/renderer and nothing else. */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '../testing/temp-dir';
import { appProtocolHandler } from './app-protocol';
import { CONTENT_SECURITY_POLICY } from './csp';

let tmp: TempDir;
let renderer: string;

beforeEach(() => {
  tmp = tempDir('waymark-protocol-');
  renderer = join(tmp.path, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Waymark</title>');
  writeFileSync(join(renderer, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(tmp.path, 'secret.txt'), 'secret');
  symlinkSync(join(tmp.path, 'secret.txt'), join(renderer, 'assets', 'link.txt'));
});
afterEach(() => tmp.remove());

const get = (url: string, method = 'GET') => appProtocolHandler(renderer)(new Request(url, { method }));

describe('app protocol', () => {
  it('serves files with their type and the CSP', async () => {
    const page = await get('waymark://app/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await page.text()).toContain('<title>Waymark</title>');
    const script = await get('waymark://app/assets/index-abc.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers client-side routes with index.html and missing assets with 404', async () => {
    expect(await (await get('waymark://app/')).text()).toContain('Waymark');
    expect(await (await get('waymark://app/runs/abc123')).text()).toContain('Waymark');
    expect((await get('waymark://app/assets/missing.js')).status).toBe(404);
  });

  it('never serves anything outside the folder', async () => {
    for (const url of ['waymark://app/..%2fsecret.txt', 'waymark://app/assets/..%2f..%2fsecret.txt', 'waymark://app/%2e%2e/secret.txt', 'waymark://app/assets/link.txt', 'waymark://app/a%5c..%5c..%5csecret.txt', 'waymark://other/index.html']) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(await response.text(), url).not.toContain('secret');
    }
  });

  it('refuses other methods and says when the renderer is not built', async () => {
    expect((await get('waymark://app/index.html', 'POST')).status).toBe(405);
    const missing = await appProtocolHandler(join(tmp.path, 'nothing'))(new Request('waymark://app/index.html'));
    expect(missing.status).toBe(503);
    expect(await missing.text()).toMatch(/npm start/);
  });
});
