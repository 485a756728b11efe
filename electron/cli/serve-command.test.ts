/**
 * `waymark serve` as a real process: one URL line on stdout, runs that belong to the
 * server, runs of other processes shown live, and a clean stop on SIGTERM.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { wsUrlForPage } from '../../shared/ws-protocol';
// eslint-disable-next-line no-restricted-imports -- the test plays the browser
import { createWsApi, type SocketLike, type WsApi } from '../../renderer/api/ws-client';
import { finished, recordEvents } from '../api/api-fixtures';
import { SqliteStore } from '../store/sqlite-store';
import { tempDir, waitFor, type TempDir } from '../testing/temp-dir';

const BIN = resolve(__dirname, '../../bin/waymark.mjs');
const URL_LINE = /^Waymark is serving (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{32})\n$/;

let dir: TempDir;
let db: string;
const children: ChildProcess[] = [];
const clients: WsApi[] = [];

beforeEach(async () => {
  dir = tempDir('waymark-serve-');
  db = resolve(dir.path, 'serve.db');
  dir.file('hello.yaml', 'name: hello\nphases:\n  - { id: a, kind: command, run: "echo hi" }\n');
  dir.file('slow.yaml', 'name: slow\nphases:\n  - { id: nap, kind: command, run: "sleep 30" }\n');
});
afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  dir.remove();
});

function serve(args: string[] = []) {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', db, '--root', dir.path, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WAYMARK_RENDERER_DIR: resolve(dir.path, 'no-renderer') },
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, exit, output: () => ({ stdout, stderr }), url: () => waitFor(() => URL_LINE.exec(stdout)?.[1], 20_000, `the URL line (stderr: ${stderr})`) };
}

function connect(pageUrl: string): WsApi {
  const api = createWsApi(wsUrlForPage(pageUrl) as string, { WebSocket: WebSocket as unknown as new (url: string) => SocketLike });
  clients.push(api);
  return api;
}

describe('waymark serve', () => {
  it('prints one URL line, runs flows for the browser, shows CLI runs live, and stops cleanly', async () => {
    const server = serve();
    const url = await server.url();
    expect(server.output().stdout).toMatch(URL_LINE);
    await waitFor(() => server.output().stderr.includes('run `npm run build`'), 5_000, 'the note about the unbuilt renderer');

    // A run started from a browser tab keeps going when the tab goes away.
    const tab = connect(url);
    const { runId: helloRun } = await tab['runs.start']({ flowPath: 'hello.yaml' });
    tab.close();
    const watcher = connect(url);
    const rec = recordEvents(watcher);
    await waitFor(async () => (await watcher['runs.get']({ runId: helloRun })).run.status === 'succeeded' || undefined);
    await waitFor(() => watcher.status === 'open' || undefined);

    // A run of another process on the same database arrives live.
    const cli = spawnSync(process.execPath, [BIN, 'run', resolve(dir.path, 'hello.yaml'), '--db', db, '--json'], { encoding: 'utf8', timeout: 60_000 });
    expect(cli.status).toBe(0);
    const cliRun = JSON.parse(cli.stdout).runId as string;
    await rec.until(finished(cliRun));
    expect(rec.events.some((e) => e.type === 'runs.changed' && e.runId === cliRun)).toBe(true);

    // SIGTERM: the running run is recorded interrupted (resumable) and the server exits 0.
    const { runId: slowRun } = await watcher['runs.start']({ flowPath: 'slow.yaml' });
    await rec.until((e): e is typeof e => e.type === 'phase.started' && e.runId === slowRun);
    server.child.kill('SIGTERM');
    expect(await server.exit).toBe(0);
    const store = await SqliteStore.open(db);
    try {
      expect((await store.getRun(slowRun))?.status).toBe('interrupted');
      expect((await store.getRun(helloRun))?.status).toBe('succeeded');
    } finally {
      await store.close();
    }
  });

  it('refuses a bad port or root with exit code 2', async () => {
    const badPort = serve(['--port', 'http']);
    expect(await badPort.exit).toBe(2);
    expect(badPort.output().stderr).toContain('--port');
    const badRoot = spawnSync(process.execPath, [BIN, 'serve', '--db', db, '--root', resolve(dir.path, 'missing')], { encoding: 'utf8', timeout: 60_000 });
    expect(badRoot.status).toBe(2);
    expect(badRoot.stdout).toBe('');
    expect(badRoot.stderr).toContain('does not exist');
  });
});
