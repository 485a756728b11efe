/**
 * The shipped artifact, not only the sources: the esbuild bundle of the main process
 * loads (CommonJS, electron and better-sqlite3 external), starts, answers over IPC and
 * quits on SIGTERM — run under Node with the fake electron (testing/boot-bundle.ts).
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '../testing/temp-dir';
import { APP_ENTRY_URL } from './app-url';

let tmp: TempDir;
let bundle: string;

beforeAll(async () => {
  tmp = tempDir('waymark-main-bundle-');
  const script = pathToFileURL(resolve('scripts/build-electron.mjs')).href;
  const { buildElectron } = (await import(script)) as { buildElectron(o: object): Promise<{ main: string }> };
  bundle = (await buildElectron({ outDir: join(tmp.path, 'out'), only: 'main', sourcemap: false })).main;
});
afterAll(() => tmp.remove());

describe('main process bundle', () => {
  it('boots, answers over IPC and quits gracefully on SIGTERM', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'electron/shell/testing/boot-bundle.ts', bundle, join(tmp.path, 'work')], {
      cwd: resolve('.'),
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, WAYMARK_DB: join(tmp.path, 'work', 'waymark.db'), NODE_PATH: resolve('node_modules') },
    });
    const line = result.stdout.trim().split('\n').pop() ?? '{}';
    const report = JSON.parse(line) as Record<string, unknown>;
    expect(report.error, result.stderr).toBeUndefined();
    expect(report.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(report.loadedUrl).toBe(APP_ENTRY_URL);
    expect(report.runsList).toEqual({ ok: true, value: { runs: [], next: null } });
    expect(report.settings).toMatchObject({ ok: true, value: { storage: 'encrypted' } });
    expect(report.ended).toEqual({ how: 'quit' });
    expect(report.handlersLeft).toBe(0);
  });
});
