/**
 * The browser's WaymarkApi (renderer/api/ws-client.ts) against the real ws-server.
 * Node 20 has no global WebSocket, so the `ws` package's stands in for the browser's.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { ApiError, type ApiEvent, type ApiResult } from '../../shared/api';
import { TOKEN_REFUSED, wsUrlForPage } from '../../shared/ws-protocol';
// eslint-disable-next-line no-restricted-imports -- the test drives the browser client against the real server
import { createWsApi, type ConnectionStatus, type SocketLike, type WsApi } from '../../renderer/api/ws-client';
import { createApiFixture, finished, recordEvents, type ApiFixture } from '../api/api-fixtures';
import type { ApiServer } from '../api/api-server';
import { startWsServer, type WsServer } from './ws-server';

const Socket = WebSocket as unknown as new (url: string) => SocketLike;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function serve(api: ApiServer, options: { port?: number; token?: string } = {}): Promise<WsServer> {
  const server = await startWsServer({ api, staticDir: '/nonexistent', ...options });
  cleanups.push(() => server.close());
  return server;
}

function client(server: WsServer, options: { token?: string } = {}): WsApi {
  const url = wsUrlForPage(`http://127.0.0.1:${server.port}/?token=${options.token ?? server.token}`) as string;
  const api = createWsApi(url, { WebSocket: Socket, minDelayMs: 20, maxDelayMs: 100 });
  cleanups.push(() => api.close());
  return api;
}

function statusReaches(api: WsApi, wanted: ConnectionStatus, timeoutMs = 5_000): Promise<void> {
  if (api.status === wanted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`status stayed ${api.status}, wanted ${wanted}`)), timeoutMs);
    const off = api.onStatus((s) => {
      if (s !== wanted) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

/** An ApiServer whose answers the test controls. */
function stubServer() {
  const listeners = new Set<(e: ApiEvent) => void>();
  const held: { channel: unknown; answer: (r: ApiResult<unknown>) => void }[] = [];
  const api: ApiServer = {
    request: (channel) => new Promise((answer) => held.push({ channel, answer })),
    subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
    close: async () => listeners.clear(),
  };
  return { api, held, emit: (e: ApiEvent) => listeners.forEach((l) => l(e)) };
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('ws client', () => {
  let fx: ApiFixture | undefined;
  afterEach(async () => {
    await fx?.cleanup();
    fx = undefined;
  });

  it('calls every channel through the real server and streams events', async () => {
    fx = await createApiFixture();
    const server = await serve(fx.server);
    const api = client(server);
    expect(api.status).toBe('connecting');
    const flows = await api['flows.list']({});
    expect(api.status).toBe('open');
    expect(flows.map((f) => f.path)).toContain('hello.yaml');

    const rec = recordEvents(api);
    const { runId } = await api['runs.start']({ flowPath: 'hello.yaml', inputs: { name: 'Ada' } });
    const end = await rec.until(finished(runId));
    expect(end.status).toBe('succeeded');
    const detail = await api['runs.get']({ runId });
    expect(detail.phases.map((p) => p.output)).toEqual(['Hello, Ada!', 'HELLO, ADA!']);
    expect(detail.lastSeq).toBe(end.seq);

    rec.dispose();
    const count = rec.events.length;
    await (await api['runs.start']({ flowPath: 'hello.yaml' }), new Promise((r) => setTimeout(r, 300)));
    expect(rec.events).toHaveLength(count);

    const err = await api['runs.get']({ runId: 'nosuchrun0' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('RUN_NOT_FOUND');
    const invalid = await api['runs.list']({ limit: 9999 }).catch((e: unknown) => e);
    expect((invalid as ApiError).code).toBe('INVALID_REQUEST');
  });

  it('uses the global WebSocket by default', async () => {
    fx = await createApiFixture();
    const server = await serve(fx.server);
    vi.stubGlobal('WebSocket', WebSocket);
    cleanups.push(() => vi.unstubAllGlobals());
    const api = createWsApi(wsUrlForPage(server.url) as string);
    cleanups.push(() => api.close());
    expect(await api['runs.list']({})).toEqual({ runs: [], next: null });
  });

  it('reconnects after the server restarts, sending requests made meanwhile', async () => {
    const stub = stubServer();
    const first = await serve(stub.api);
    const api = client(first);
    const statuses: ConnectionStatus[] = [];
    api.onStatus((s) => statuses.push(s));
    await statusReaches(api, 'open');

    const inFlight = api['runs.list']({}).catch((e: unknown) => e);
    await until(() => stub.held.length === 1);
    await first.close();
    const lost = (await inFlight) as ApiError;
    expect(lost).toBeInstanceOf(ApiError);
    expect(lost.error.retryable).toBe(true);
    await statusReaches(api, 'reconnecting');

    const queued = api['flows.list']({});
    await new Promise((r) => setTimeout(r, 100));
    expect(stub.held).toHaveLength(1); // nothing to send it to yet

    await serve(stub.api, { port: first.port, token: first.token });
    await statusReaches(api, 'open');
    await until(() => stub.held.length === 2);
    expect(stub.held[1]?.channel).toBe('flows.list');
    stub.held[1]?.answer({ ok: true, value: [] });
    expect(await queued).toEqual([]);

    const events: ApiEvent[] = [];
    api.onEvent((e) => events.push(e));
    stub.emit({ type: 'runs.changed', runId: 'abcdef1' });
    await until(() => events.length === 1);
    expect(events).toEqual([{ type: 'runs.changed', runId: 'abcdef1' }]);
    expect(statuses).toEqual(['open', 'reconnecting', 'open']);
  });

  it('a wrong token ends in "refused": no retrying, and every request fails with the explanation', async () => {
    const stub = stubServer();
    const server = await serve(stub.api);
    const api = client(server, { token: 'f'.repeat(32) });
    const queued = api['runs.list']({}).catch((e: unknown) => e);
    await statusReaches(api, 'refused');
    const err = (await queued) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('UNAUTHORIZED');
    expect(err.message).toBe(`${TOKEN_REFUSED.what} ${TOKEN_REFUSED.fix}`);
    expect(((await api['flows.list']({}).catch((e: unknown) => e)) as ApiError).code).toBe('UNAUTHORIZED');
    expect(stub.held).toHaveLength(0);
  });

  it('an open tab whose server restarts with a new token becomes "refused" instead of retrying for ever', async () => {
    const stub = stubServer();
    const first = await serve(stub.api);
    const api = client(first);
    const statuses: ConnectionStatus[] = [];
    api.onStatus((s) => statuses.push(s));
    await statusReaches(api, 'open');
    await first.close();
    await statusReaches(api, 'reconnecting');
    const waiting = api['runs.list']({}).catch((e: unknown) => e);
    await serve(stub.api, { port: first.port, token: 'a'.repeat(32) });
    await statusReaches(api, 'refused');
    expect(((await waiting) as ApiError).code).toBe('UNAUTHORIZED');
    expect(statuses).toEqual(['open', 'reconnecting', 'refused']);
    expect(stub.held).toHaveLength(0);
  });

  it('keeps reconnecting while the server cannot be asked (down), without calling the token refused', async () => {
    const stub = stubServer();
    const server = await serve(stub.api);
    const port = server.port;
    await server.close();
    let asked = 0;
    const url = wsUrlForPage(`http://127.0.0.1:${port}/?token=${'b'.repeat(32)}`) as string;
    const api = createWsApi(url, {
      WebSocket: Socket,
      minDelayMs: 20,
      maxDelayMs: 40,
      fetch: (target, init) => (asked++, fetch(target, init)),
    });
    cleanups.push(() => api.close());
    await until(() => asked >= 3);
    expect(api.status).toBe('reconnecting');
  });

  it('close() rejects pending requests and stops reconnecting', async () => {
    const stub = stubServer();
    const server = await serve(stub.api);
    const api = client(server);
    await statusReaches(api, 'open');
    const pending = api['runs.list']({}).catch((e: unknown) => e);
    await until(() => stub.held.length === 1);
    api.close();
    expect(api.status).toBe('closed');
    expect(((await pending) as ApiError).code).toBe('INTERNAL');
    expect(((await api['runs.list']({}).catch((e: unknown) => e)) as ApiError).message).toContain('closed');
    await new Promise((r) => setTimeout(r, 100));
    expect(api.status).toBe('closed');
  });

  it('ignores answers it did not ask for and malformed frames', async () => {
    const stub = stubServer();
    const server = await serve(stub.api);
    const api = client(server);
    await statusReaches(api, 'open');
    const events: ApiEvent[] = [];
    api.onEvent((e) => events.push(e));
    const call = api['runs.list']({});
    await until(() => stub.held.length === 1);
    stub.emit({ garbage: true } as unknown as ApiEvent);
    stub.held[0]?.answer({ ok: false, error: { code: 'STORE_FAILED', message: 'disk full', retryable: true } });
    const err = (await call.catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe('STORE_FAILED');
    expect(err.error.retryable).toBe(true);
    expect(events).toEqual([]);
  });
});
