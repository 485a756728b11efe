/** HTTP and SSE helpers shared by the fake LLM protocols. */
import type { ServerResponse } from 'node:http';
import type { RecordedRequest, Script } from './fake-llm-script';

/** How one protocol turns a script into HTTP. */
export interface ProtocolWriter {
  /** True for the request paths this protocol answers. */
  handles(path: string): boolean;
  /**
   * Writes a `reply` or `malformed` script to `res`. With `hold`, a streamed reply stops
   * after its content and waits for `hold` (a hang) instead of finishing.
   */
  reply(res: ServerResponse, script: Script, context: ReplyContext): Promise<void>;
  /** The protocol's JSON error body for an HTTP error. */
  errorBody(status: number, message: string): unknown;
}

export interface ReplyContext {
  request: RecordedRequest;
  /** 1-based number of the model request. */
  n: number;
  hold?: Promise<void>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers });
  res.end(text);
}

/** Writes one SSE event (`event:` line only when named). */
export function writeSse(res: ServerResponse, data: unknown, event?: string): void {
  res.write(`${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
}

export function startSse(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
}

export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
