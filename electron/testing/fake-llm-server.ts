/**
 * A real HTTP server on 127.0.0.1, port 0, speaking an LLM protocol from a script.
 * Tests (and later e2e specs) point a provider's base URL at it, queue responses, and
 * inspect every request it received, body and headers included.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { anthropicProtocol } from './anthropic-protocol';
import type { RecordedRequest, Script, ScriptStep } from './fake-llm-script';
import { sendJson, type ProtocolWriter } from './http-helpers';
import { openaiProtocol } from './openai-protocol';

export type FakeProtocol = 'openai' | 'anthropic';

export interface FakeLlmServer {
  /** e.g. http://127.0.0.1:43121 */
  readonly url: string;
  /** `url` + `/v1`: what a provider's base URL should be. */
  readonly baseURL: string;
  readonly requests: RecordedRequest[];
  /** Model requests (chat completions / messages), in order. */
  readonly modelRequests: RecordedRequest[];
  enqueue(...steps: ScriptStep[]): void;
  /** Scripted responses not consumed yet. */
  pending(): number;
  close(): Promise<void>;
}

const PROTOCOLS: Record<FakeProtocol, ProtocolWriter> = { openai: openaiProtocol, anthropic: anthropicProtocol };

export async function startFakeLlm(protocol: FakeProtocol, steps: ScriptStep[] = []): Promise<FakeLlmServer> {
  const writer = PROTOCOLS[protocol];
  const queue: ScriptStep[] = [...steps];
  const requests: RecordedRequest[] = [];
  const modelRequests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const request: RecordedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: { ...req.headers }, body: parseJson(rawBody), rawBody };
    requests.push(request);
    if (req.method !== 'POST' || !writer.handles(request.path)) {
      return sendJson(res, 404, writer.errorBody(404, `fake ${protocol} server: no route ${req.method} ${request.path}`));
    }
    modelRequests.push(request);
    const step = queue.shift();
    if (!step) return sendJson(res, 400, writer.errorBody(400, `fake ${protocol} server: no scripted response left for request ${modelRequests.length}`));
    const script = typeof step === 'function' ? step(request) : step;
    await respond(res, req, script, request, modelRequests.length);
  }

  async function respond(res: ServerResponse, req: IncomingMessage, script: Script, request: RecordedRequest, n: number): Promise<void> {
    switch (script.type) {
      case 'http-error': {
        const body = script.body === undefined ? writer.errorBody(script.status, `scripted HTTP ${script.status}`) : script.body;
        return sendJson(res, script.status, body, script.headers);
      }
      case 'reset':
        req.socket.destroy();
        return;
      case 'drop':
        // The reply stops after its text (as for a hang), is flushed, then the socket dies.
        await writer.reply(res, { type: 'reply', text: script.textBeforeDrop }, { request, n, hold: Promise.resolve() });
        await flushed(req.socket);
        req.socket.destroy();
        return;
      case 'hang': {
        const hold = new Promise<void>((resolve) => res.on('close', resolve));
        if (script.textBeforeHang) return writer.reply(res, { type: 'reply', text: script.textBeforeHang }, { request, n, hold });
        res.writeHead(200, { 'content-type': 'text/event-stream' }).flushHeaders();
        return hold;
      }
      default:
        return writer.reply(res, script, { request, n });
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    baseURL: `${url}/v1`,
    requests,
    modelRequests,
    enqueue: (...more) => void queue.push(...more),
    pending: () => queue.length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Resolves once everything written to `socket` has left the process. */
async function flushed(socket: Socket): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve)); // the response uncorks on the next tick
  if (socket.writableLength > 0) await once(socket, 'drain');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
