/**
 * The Anthropic Messages protocol (POST …/messages): SSE events message_start,
 * content_block_start / content_block_delta (text_delta, input_json_delta) /
 * content_block_stop per block, message_delta with the stop reason and usage, then
 * message_stop; or one JSON message when the request does not stream.
 */
import type { ServerResponse } from 'node:http';
import { argsText, asReply, chunks, type Reply, type ScriptedUsage } from './fake-llm-script';
import { pause, sendJson, startSse, writeSse, type ProtocolWriter, type ReplyContext } from './http-helpers';

interface AnthropicRequest {
  model?: string;
  stream?: boolean;
}

export const anthropicProtocol: ProtocolWriter = {
  handles: (path) => path.split('?')[0]?.endsWith('/messages') ?? false,
  errorBody: (status, message) => ({ type: 'error', error: { type: errorType(status), message } }),
  async reply(res, script, context) {
    const body = (context.request.body ?? {}) as AnthropicRequest;
    if (script.type === 'malformed') return malformedReply(res, script.body, body.stream === true);
    const reply = asReply(script, 'anthropic');
    if (body.stream !== true) return sendJson(res, 200, message(reply, body, context.n));
    await streamReply(res, reply, body, context);
  },
};

async function streamReply(res: ServerResponse, script: Reply, body: AnthropicRequest, context: ReplyContext): Promise<void> {
  const usage = script.usage ?? { input: 10, output: 5 };
  const event = (type: string, data: Record<string, unknown>) => writeSse(res, { type, ...data }, type);
  startSse(res);
  event('message_start', {
    message: { id: `msg_${context.n}`, type: 'message', role: 'assistant', content: [], model: body.model ?? 'fake', stop_reason: null, stop_sequence: null, usage: { ...inputUsage(usage), output_tokens: 1 } },
  });
  let index = 0;
  if (script.text !== undefined) {
    event('content_block_start', { index, content_block: { type: 'text', text: '' } });
    for (const piece of chunks(script.text, script.chunkSize)) {
      event('content_block_delta', { index, delta: { type: 'text_delta', text: piece } });
      if (script.chunkDelayMs) await pause(script.chunkDelayMs);
    }
    if (context.hold) {
      await context.hold;
      return;
    }
    event('content_block_stop', { index });
    index += 1;
  }
  (script.toolCalls ?? []).forEach((call, i) => {
    event('content_block_start', { index, content_block: { type: 'tool_use', id: call.id ?? `toolu_${context.n}_${i}`, name: call.name, input: {} } });
    for (const piece of chunks(argsText(call.args), 16)) event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } });
    event('content_block_stop', { index });
    index += 1;
  });
  event('message_delta', { delta: { stop_reason: stopReason(script), stop_sequence: null }, usage: { output_tokens: usage.output } });
  event('message_stop', {});
  res.end();
}

function message(script: Reply, body: AnthropicRequest, n: number): unknown {
  const usage = script.usage ?? { input: 10, output: 5 };
  const content: unknown[] = [];
  if (script.text !== undefined) content.push({ type: 'text', text: script.text });
  (script.toolCalls ?? []).forEach((call, i) => {
    content.push({ type: 'tool_use', id: call.id ?? `toolu_${n}_${i}`, name: call.name, input: typeof call.args === 'string' ? JSON.parse(call.args) : call.args });
  });
  return {
    id: `msg_${n}`,
    type: 'message',
    role: 'assistant',
    model: body.model ?? 'fake',
    content,
    stop_reason: stopReason(script),
    stop_sequence: null,
    usage: { ...inputUsage(usage), output_tokens: usage.output },
  };
}

/** Anthropic reports uncached input apart from prompt-cache reads and writes. */
function inputUsage(u: ScriptedUsage) {
  return {
    input_tokens: u.input - (u.cachedInput ?? 0) - (u.cacheWrite ?? 0),
    ...(u.cachedInput !== undefined ? { cache_read_input_tokens: u.cachedInput } : {}),
    ...(u.cacheWrite !== undefined ? { cache_creation_input_tokens: u.cacheWrite } : {}),
  };
}

function stopReason(script: Reply): string {
  if (script.truncated) return 'max_tokens';
  return script.toolCalls?.length ? 'tool_use' : 'end_turn';
}

function errorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 529) return 'overloaded_error';
  return status >= 500 ? 'api_error' : 'invalid_request_error';
}

function malformedReply(res: ServerResponse, raw: string | undefined, stream: boolean): void {
  if (!stream) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(raw ?? '{"id":"msg_x","content":[{"type":"text","text":"Hel');
    return;
  }
  startSse(res);
  res.write(`event: message_start\ndata: ${raw ?? '{"type":"message_start","message":{"id":"msg_x"'}\n\n`);
  res.end();
}
