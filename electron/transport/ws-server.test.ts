/**
 * Serve mode's door: token, Host and Origin are checked on every HTTP request and every
 * upgrade before anything runs; the renderer is served safely; garbage never crashes it.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { REFUSED_HEADER, TOKEN_MISSING, TOKEN_REFUSED, type ServerMessage } from '../../shared/ws-protocol';
import { createApiFixture, type ApiFixture } from '../api/api-fixtures';
import { startWsServer, type WsServer } from './ws-server';

let fx: ApiFixture;
let server: WsServer;
let web: string;
let host: string;

beforeAll(async () => {
  fx = await createApiFixture();
  web = mkdtempSync(join(tmpdir(), 'waymark-web-'));
  const dist = join(web, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Waymark</title><script type="module" src="/assets/app.js"></script>');
  writeFileSync(join(dist, 'assets', 'app.js'), 'console.log("app")');
  writeFileSync(join(dist, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(web, 'secret.txt'), 'SECRET');
  symlinkSync(join(web, 'secret.txt'), join(dist, 'assets', 'link.js'));
  server = await startWsServer({ api: fx.server, staticDir: dist });
  host = `127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server.close();
  await fx.cleanup();
  rmSync(web, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, method, headers: { Host: host, ...headers }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode as number, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends raw bytes and returns whatever comes back before the server closes (or 1 s passes). */
function raw(bytes: string | Buffer, waitMs = 1_000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(server.port, '127.0.0.1');
    let data = '';
    const done = () => {
      socket.destroy();
      resolve(data);
    };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (c) => (data += c.toString('latin1')));
    socket.on('close', () => (clearTimeout(timer), resolve(data)));
    socket.on('error', () => (clearTimeout(timer), resolve(data)));
    socket.write(bytes);
  });
}

function upgrade(path: string, headers: Record<string, string> = {}): Promise<string> {
  const lines = Object.entries({ Host: host, Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers })
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}: ${v}`);
  return raw(`GET ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`, 500).then((reply) => reply.split('\r\n')[0] as string);
}

const tokenQuery = () => `?token=${server.token}`;

function openSocket(url = `ws://${host}/ws${tokenQuery()}`): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function nextMessage(ws: WebSocket, match: (m: ServerMessage) => boolean = () => true): Promise<ServerMessage> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      if (!match(message)) return;
      ws.off('message', onMessage);
      resolve(message);
    };
    ws.on('message', onMessage);
  });
}

describe('HTTP', () => {
  it('serves the app for the right token, with security headers and the token cookie', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token).toMatch(/^[0-9a-f]{32}$/);
    const page = await get(`/${tokenQuery()}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<title>Waymark</title>');
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port} ws://localhost:${server.port}`);
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const cookie = (page.headers['set-cookie'] as string[])[0] as string;
    expect(cookie).toContain(`waymark_token_${server.port}=${server.token}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
  });

  it('refuses a missing or wrong token with 403', async () => {
    expect((await get('/')).status).toBe(403);
    expect((await get('/assets/app.js')).status).toBe(403);
    expect((await get('/?token=')).status).toBe(403);
    expect((await get(`/?token=${'0'.repeat(32)}`)).status).toBe(403);
    expect((await get(`/?token=${server.token}0`)).status).toBe(403);
    expect((await get(`/?token=${server.token.toUpperCase()}`)).status).toBe(server.token === server.token.toUpperCase() ? 200 : 403);
    // A right cookie does not rescue a wrong query token.
    expect((await get(`/?token=${'1'.repeat(32)}`, { Cookie: `waymark_token_${server.port}=${server.token}` })).status).toBe(403);
  });

  it('explains a refused token (what happened, how to fix it) and marks it, unlike a foreign Host or Origin', async () => {
    const html = { Accept: 'text/html,application/xhtml+xml' };
    const wrong = await get(`/?token=${'0'.repeat(32)}`, html);
    expect(wrong.status).toBe(403);
    expect(wrong.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(wrong.headers[REFUSED_HEADER]).toBe('token');
    expect(wrong.headers['content-security-policy']).toContain("default-src 'self'");
    expect(wrong.body).toContain(`<h1>${TOKEN_REFUSED.title}</h1>`);
    expect(wrong.body).toContain(TOKEN_REFUSED.what.replace(/'/g, '&#39;'));
    expect(wrong.body).toContain(TOKEN_REFUSED.fix);
    // A stale cookie (a reload of an old tab's asset) is a refused token too.
    expect((await get('/assets/app.js', { Cookie: `waymark_token_${server.port}=${'2'.repeat(32)}` })).headers[REFUSED_HEADER]).toBe('token');

    const missing = await get('/', html);
    expect(missing.body).toContain(TOKEN_MISSING.title);
    expect(missing.headers[REFUSED_HEADER]).toBe('token');
    const plain = await get(`/?token=${'0'.repeat(32)}`);
    expect(plain.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(plain.body).toBe(`Forbidden. ${TOKEN_REFUSED.what}\n${TOKEN_REFUSED.fix}\n`);
    const head = await get(`/?token=${'0'.repeat(32)}`, {}, 'HEAD');
    expect([head.status, head.headers[REFUSED_HEADER], head.body]).toEqual([403, 'token', '']);

    const host = await get(`/${tokenQuery()}`, { Host: `evil.example:${server.port}`, ...html });
    expect([host.status, host.headers[REFUSED_HEADER]]).toEqual([403, undefined]);
    expect(host.body).toBe(`Forbidden: this server answers only to http://127.0.0.1:${server.port} and http://localhost:${server.port}.\n`);
    const origin = await get(`/${tokenQuery()}`, { Origin: 'http://evil.example' });
    expect([origin.status, origin.headers[REFUSED_HEADER], origin.body]).toEqual([403, undefined, 'Forbidden: the request came from another website.\n']);
  });

  it('accepts the cookie for assets, only under this port’s name', async () => {
    const js = await get('/assets/app.js', { Cookie: `other=1; waymark_token_${server.port}=${server.token}` });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toBe('console.log("app")');
    expect((await get('/assets/app.css', { Cookie: `waymark_token_${server.port}=${server.token}` })).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await get('/assets/app.js', { Cookie: `waymark_token_1=${server.token}` })).status).toBe(403);
    expect((await get('/assets/app.js', { Cookie: `waymark_token_${server.port}=nope` })).status).toBe(403);
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin', async () => {
    const good = tokenQuery();
    expect((await get(`/${good}`, { Host: `localhost:${server.port}` })).status).toBe(200);
    expect((await get(`/${good}`, { Host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await get(`/${good}`, { Host: '127.0.0.1' })).status).toBe(403);
    expect((await get(`/${good}`, { Host: `127.0.0.1:${server.port + 1}` })).status).toBe(403);
    expect((await get(`/${good}`, { Origin: `http://127.0.0.1:${server.port}` })).status).toBe(200);
    expect((await get(`/${good}`, { Origin: `http://localhost:${server.port}` })).status).toBe(200);
    expect((await get(`/${good}`, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await get(`/${good}`, { Origin: `https://127.0.0.1:${server.port}` })).status).toBe(403);
    expect((await get(`/${good}`, { Origin: 'null' })).status).toBe(403);
  });

  it('serves nothing outside the app folder', async () => {
    const cookie = { Cookie: `waymark_token_${server.port}=${server.token}` };
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/assets/link.js', '/..%5csecret.txt', '/%00', '/%E0%A4%A']) {
      const reply = await get(path, cookie);
      expect(reply.status, path).toBe(404);
      expect(reply.body).not.toContain('SECRET');
    }
    const viaRaw = await raw(`GET /../../secret.txt HTTP/1.1\r\nHost: ${host}\r\nCookie: waymark_token_${server.port}=${server.token}\r\nConnection: close\r\n\r\n`);
    expect(viaRaw).not.toContain('SECRET');
  });

  it('answers client-side routes with the app, missing assets with 404, and only GET/HEAD', async () => {
    const cookie = { Cookie: `waymark_token_${server.port}=${server.token}` };
    expect((await get('/runs/abc123', cookie)).body).toContain('<title>Waymark</title>');
    expect((await get('/assets/missing.js', cookie)).status).toBe(404);
    const head = await get(`/${tokenQuery()}`, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect((await get(`/${tokenQuery()}`, {}, 'POST')).status).toBe(405);
    expect((await get('/', {}, 'POST')).status).toBe(403);
  });

  it('explains how to build the app when dist/renderer is missing', async () => {
    const bare = await startWsServer({ api: fx.server, staticDir: join(web, 'nowhere') });
    try {
      const reply = await new Promise<Reply>((resolve, reject) => {
        httpRequest({ host: '127.0.0.1', port: bare.port, path: `/?token=${bare.token}`, headers: { Host: `127.0.0.1:${bare.port}` }, agent: false }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode as number, headers: res.headers, body }));
        })
          .on('error', reject)
          .end();
      });
      expect(reply.status).toBe(503);
      expect(reply.body).toContain('npm run build');
    } finally {
      await bare.close();
    }
  });

  it('survives garbage on the socket', async () => {
    const junk = [
      Buffer.from([0, 1, 2, 255, 254, 13, 10, 13, 10]),
      'GARBAGE\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: \0\r\n\r\n',
      'GET http://evil.example/ HTTP/1.1\r\nHost: evil.example\r\n\r\n',
      `GET * HTTP/1.1\r\nHost: ${host}\r\n\r\n`,
      `GET //etc/passwd?token=${server.token} HTTP/1.1\r\nHost: ${host}\r\n\r\n`,
      `GET /?token=${server.token} HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`,
      `GET /?token=${server.token} HTTP/1.1\r\nHost: ${host}\r\nContent-Length: -5\r\n\r\n`,
      `GET /?token=${server.token} HTTP/1.1\r\nHost: ${host}`,
      `GET /ws?token=${server.token} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`,
      `GET /ws?token=${server.token} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 99\r\nSec-WebSocket-Key: x\r\n\r\n`,
      `GET /ws?token=%ZZ HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`,
    ];
    for (const bytes of junk) {
      const reply = await raw(bytes, 300);
      expect(reply).not.toMatch(/^HTTP\/1\.1 200/);
    }
    expect((await get(`/${tokenQuery()}`)).status).toBe(200);
  });
});

describe('WebSocket', () => {
  it('refuses upgrades without the right token, Host or Origin, before the handshake', async () => {
    expect(await upgrade(`/ws${tokenQuery()}`)).toBe('HTTP/1.1 101 Switching Protocols');
    expect(await upgrade('/ws')).toBe('HTTP/1.1 403 Forbidden');
    expect(await upgrade(`/ws?token=${'f'.repeat(32)}`)).toBe('HTTP/1.1 403 Forbidden');
    // The cookie alone does not open the socket: the token must be in the query.
    expect(await upgrade('/ws', { Cookie: `waymark_token_${server.port}=${server.token}` })).toBe('HTTP/1.1 403 Forbidden');
    expect(await upgrade(`/ws${tokenQuery()}`, { Origin: 'http://evil.example' })).toBe('HTTP/1.1 403 Forbidden');
    expect(await upgrade(`/ws${tokenQuery()}`, { Origin: `http://localhost:${server.port}` })).toBe('HTTP/1.1 101 Switching Protocols');
    expect(await upgrade(`/ws${tokenQuery()}`, { Host: `evil.example:${server.port}` })).toBe('HTTP/1.1 403 Forbidden');
    expect(await upgrade(`/ws${tokenQuery()}`, { Host: '' })).toBe('HTTP/1.1 403 Forbidden');
    expect(await upgrade(`/elsewhere${tokenQuery()}`)).toBe('HTTP/1.1 404 Not Found');
  });

  it('refuses the ws client with 403 for a wrong token', async () => {
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://${host}/ws?token=wrong`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode as number));
      ws.on('error', () => {});
    });
    expect(status).toBe(403);
  });

  it('answers requests through dispatch and pushes events to every client', async () => {
    const a = await openSocket();
    const b = await openSocket();
    try {
      const reply = nextMessage(a, (m) => m.kind === 'response');
      a.send(JSON.stringify({ kind: 'request', id: 7, channel: 'flows.list', payload: {} }));
      const response = await reply;
      expect(response).toMatchObject({ kind: 'response', id: 7, result: { ok: true } });

      const bad = nextMessage(a, (m) => m.kind === 'response');
      a.send(JSON.stringify({ kind: 'request', id: 8, channel: 'runs.get', payload: { runId: 1 } }));
      expect(await bad).toMatchObject({ id: 8, result: { ok: false, error: { code: 'INVALID_REQUEST' } } });

      const eventOnB = nextMessage(b, (m) => m.kind === 'event' && m.event.type === 'run.finished');
      const started = nextMessage(a, (m) => m.kind === 'response');
      a.send(JSON.stringify({ kind: 'request', id: 9, channel: 'runs.start', payload: { flowPath: 'hello.yaml' } }));
      const startReply = await started;
      expect(startReply).toMatchObject({ id: 9, result: { ok: true } });
      const finished = await eventOnB;
      expect(finished.kind === 'event' && finished.event.type === 'run.finished' && finished.event.status).toBe('succeeded');
    } finally {
      a.close();
      b.close();
    }
  });

  it('survives malformed frames', async () => {
    const ws = await openSocket();
    try {
      ws.send('not json');
      ws.send('{"kind":"request"}');
      ws.send('[1,2,3]');
      ws.send('null');
      const reply = nextMessage(ws, (m) => m.kind === 'response');
      ws.send(JSON.stringify({ kind: 'request', id: 3, channel: 5 }));
      expect(await reply).toMatchObject({ id: 3, result: { ok: false, error: { code: 'INVALID_REQUEST' } } });
      const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
      ws.send(Buffer.from([1, 2, 3]), { binary: true });
      expect(await closed).toBe(1003);
      const again = await openSocket();
      const ok = nextMessage(again, (m) => m.kind === 'response');
      again.send(JSON.stringify({ kind: 'request', id: 1, channel: 'runs.list', payload: {} }));
      expect(await ok).toMatchObject({ id: 1, result: { ok: true } });
      again.close();
    } finally {
      ws.close();
    }
  });
});
