/**
 * `waymark serve` as a real process: one URL line on stdout, runs that belong to the
 * server, runs of other processes shown live, a clean stop on SIGTERM, and a token kept
 * per database across restarts (so open tabs reconnect) unless `--new-token`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ApiError } from '../../shared/api';
import { REFUSED_HEADER, TOKEN_REFUSED, wsUrlForPage } from '../../shared/ws-protocol';
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

/** Starts `waymark serve` on `db` (default: the test's), on a free port unless told `port: 'saved'`. */
function serve(args: string[] = [], options: { db?: string; port?: 'free' | 'saved' } = {}) {
  const port = options.port === 'saved' ? [] : ['--port', '0'];
  const child = spawn(process.execPath, [BIN, 'serve', ...port, '--db', options.db ?? db, '--root', dir.path, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // The data folder (where tokens are kept) is the test's own.
    env: { ...process.env, XDG_CONFIG_HOME: resolve(dir.path, 'config'), WAYMARK_RENDERER_DIR: resolve(dir.path, 'no-renderer') },
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
  const api = createWsApi(wsUrlForPage(pageUrl) as string, { WebSocket: WebSocket as unknown as new (url: string) => SocketLike, minDelayMs: 50, maxDelayMs: 200 });
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

  it('keeps the token per database across restarts, on the same port, so an open tab reconnects; --new-token refuses it', async () => {
    const first = serve([], { port: 'saved' });
    const url = await first.url();
    const tokensDir = resolve(dir.path, 'config', 'Waymark', 'serve-tokens');
    const [file] = readdirSync(tokensDir);
    const saved = join(tokensDir, file as string);
    expect(statSync(saved).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(saved, 'utf8'))).toMatchObject({ database: db, token: tokenOf(url), port: portOf(url) });

    // Another database, served at the same time, has a token of its own.
    const other = serve([], { db: resolve(dir.path, 'other.db'), port: 'saved' });
    expect(tokenOf(await other.url())).not.toBe(tokenOf(url));
    expect(readdirSync(tokensDir)).toHaveLength(2);

    const tab = connect(url);
    await waitFor(() => tab.status === 'open' || undefined);
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    await waitFor(() => tab.status === 'reconnecting' || undefined);

    const second = serve([], { port: 'saved' });
    expect(await second.url()).toBe(url);
    await waitFor(() => tab.status === 'open' || undefined, 10_000, 'the tab to reconnect');
    expect(await tab['runs.list']({})).toBeDefined();
    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);

    const third = serve(['--new-token'], { port: 'saved' });
    const renewed = await third.url();
    expect(portOf(renewed)).toBe(portOf(url));
    expect(tokenOf(renewed)).not.toBe(tokenOf(url));
    expect(JSON.parse(readFileSync(saved, 'utf8')).token).toBe(tokenOf(renewed));
    expect(statSync(saved).mode & 0o777).toBe(0o600);

    // The open tab is told why, instead of retrying for ever; so is a reload of it.
    await waitFor(() => tab.status === 'refused' || undefined, 10_000, 'the tab to be refused');
    const err = (await tab['runs.list']({}).catch((e: unknown) => e)) as ApiError;
    expect([err.code, err.message]).toEqual(['UNAUTHORIZED', `${TOKEN_REFUSED.what} ${TOKEN_REFUSED.fix}`]);
    const page = await getPage(url);
    expect([page.status, page.refused]).toEqual([403, 'token']);
    expect(page.body).toContain(TOKEN_REFUSED.title);
    expect(page.body).toContain('waymark serve --new-token');
    expect(page.body).toContain(TOKEN_REFUSED.fix);
    expect((await getPage(renewed)).status).toBe(503); // accepted: the test serves no built app
  });
});

const tokenOf = (url: string) => new URL(url).searchParams.get('token');
const portOf = (url: string) => Number(new URL(url).port);

/** A browser's page load: status, the refusal mark and the body. */
function getPage(url: string): Promise<{ status: number; refused: unknown; body: string }> {
  return new Promise((resolvePage, reject) => {
    const req = httpRequest(url, { headers: { Accept: 'text/html' }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolvePage({ status: res.statusCode ?? 0, refused: res.headers[REFUSED_HEADER], body }));
    });
    req.on('error', reject);
    req.end();
  });
}
