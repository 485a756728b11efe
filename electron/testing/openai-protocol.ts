/**
 * The OpenAI chat-completions protocol (POST …/chat/completions): SSE chunks with
 * `choices[].delta` (content and `tool_calls` deltas), a usage chunk when
 * `stream_options.include_usage` is set, then `data: [DONE]`; or one JSON body when the
 * request does not stream.
 */
import type { ServerResponse } from 'node:http';
import { argsText, asReply, chunks, type Reply, type ReplyScript } from './fake-llm-script';
import { pause, sendJson, startSse, writeSse, type ProtocolWriter, type ReplyContext } from './http-helpers';

interface OpenAiRequest {
  model?: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
}

export const openaiProtocol: ProtocolWriter = {
  handles: (path) => path.split('?')[0]?.endsWith('/chat/completions') ?? false,
  errorBody: (status, message) => ({ error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', code: null } }),
  async reply(res, script, context) {
    const body = (context.request.body ?? {}) as OpenAiRequest;
    if (script.type === 'malformed') return malformedReply(res, script.body, body.stream === true);
    const reply = asReply(script, 'openai');
    if (body.stream !== true) return sendJson(res, 200, completion(reply, body, context.n));
    await streamReply(res, reply, body, context);
  },
};

async function streamReply(res: ServerResponse, script: Reply, body: OpenAiRequest, context: ReplyContext): Promise<void> {
  const base = { id: `chatcmpl-${context.n}`, object: 'chat.completion.chunk', created: 1_700_000_000, model: body.model ?? 'fake' };
  const chunk = (delta: unknown, finish: string | null = null) => ({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] });
  startSse(res);
  writeSse(res, chunk({ role: 'assistant', content: '' }));
  for (const piece of chunks(script.text ?? '', script.chunkSize)) {
    writeSse(res, chunk({ content: piece }));
    if (script.chunkDelayMs) await pause(script.chunkDelayMs);
  }
  (script.toolCalls ?? []).forEach((call, index) => {
    const id = call.id ?? `call_${context.n}_${index}`;
    writeSse(res, chunk({ tool_calls: [{ index, id, type: 'function', function: { name: call.name, arguments: '' } }] }));
    for (const piece of chunks(argsText(call.args), 16)) writeSse(res, chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  if (context.hold) {
    await context.hold;
    return;
  }
  writeSse(res, chunk({}, finishReason(script)));
  if (body.stream_options?.include_usage) writeSse(res, { ...base, choices: [], usage: usageOf(script) });
  writeSse(res, '[DONE]');
  res.end();
}

function completion(script: Reply, body: OpenAiRequest, n: number): unknown {
  const toolCalls = (script.toolCalls ?? []).map((call, index) => ({
    id: call.id ?? `call_${n}_${index}`,
    type: 'function',
    function: { name: call.name, arguments: argsText(call.args) },
  }));
  return {
    id: `chatcmpl-${n}`,
    object: 'chat.completion',
    created: 1_700_000_000,
    model: body.model ?? 'fake',
    choices: [{ index: 0, message: { role: 'assistant', content: script.text ?? null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) }, finish_reason: finishReason(script) }],
    usage: usageOf(script),
  };
}

function finishReason(script: Reply): string {
  if (script.truncated) return 'length';
  return script.toolCalls?.length ? 'tool_calls' : 'stop';
}

function usageOf(script: ReplyScript) {
  const u = script.usage ?? { input: 10, output: 5 };
  return {
    prompt_tokens: u.input,
    completion_tokens: u.output,
    total_tokens: u.input + u.output,
    ...(u.cachedInput !== undefined ? { prompt_tokens_details: { cached_tokens: u.cachedInput } } : {}),
    ...(u.reasoning !== undefined ? { completion_tokens_details: { reasoning_tokens: u.reasoning } } : {}),
  };
}

function malformedReply(res: ServerResponse, raw: string | undefined, stream: boolean): void {
  if (!stream) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(raw ?? '{"id":"chatcmpl-x","choices":[{"message":{"content":"Hel');
    return;
  }
  startSse(res);
  res.write(`data: ${raw ?? '{"id":"chatcmpl-x","choices":[{"index":0,"delta":{"content":"Hel'}\n\n`);
  writeSse(res, '[DONE]');
  res.end();
}

