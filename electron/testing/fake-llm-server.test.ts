import { afterEach, describe, expect, it } from 'vitest';
import { callTool, dropMidStream, httpError, say, truncated } from './fake-llm-script';
import { startFakeLlm, type FakeLlmServer } from './fake-llm-server';

let server: FakeLlmServer;
afterEach(() => server?.close());

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('fake LLM servers', () => {
  it('answer OpenAI chat completions without streaming, and record requests', async () => {
    server = await startFakeLlm('openai', [say('hello', { input: 3, output: 1 }), callTool('read_file', { path: 'a' }, 'call_x')]);
    const first = await (await post('/v1/chat/completions', { model: 'm', messages: [] }, { authorization: 'Bearer k' })).json();
    expect(first).toMatchObject({ object: 'chat.completion', choices: [{ message: { role: 'assistant', content: 'hello' }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 1 } });
    const second = await (await post('/v1/chat/completions', { model: 'm', messages: [] })).json();
    expect(second.choices[0].message.tool_calls).toEqual([{ id: 'call_x', type: 'function', function: { name: 'read_file', arguments: '{"path":"a"}' } }]);
    expect(server.modelRequests[0]?.headers.authorization).toBe('Bearer k');
    expect(server.pending()).toBe(0);
    const none = await post('/v1/chat/completions', { messages: [] });
    expect(none.status).toBe(400);
    expect((await none.json()).error.message).toContain('no scripted response left');
  });

  it('stream OpenAI SSE ending in [DONE]', async () => {
    server = await startFakeLlm('openai', [say('hi')]);
    const text = await (await post('/v1/chat/completions', { stream: true, stream_options: { include_usage: true }, messages: [] })).text();
    const events = text.split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    expect(events.at(-2)).toContain('"usage"');
  });

  it('answer Anthropic messages, streamed and not', async () => {
    server = await startFakeLlm('anthropic', [callTool('write_file', { path: 'x' }), say('yo')]);
    const stream = await (await post('/v1/messages', { stream: true, model: 'c' })).text();
    expect(stream.match(/^event: (\w+)$/gm)?.map((l) => l.slice(7))).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    expect(stream).toContain('"tool_use"');
    const json = await (await post('/v1/messages', { model: 'c' })).json();
    expect(json).toMatchObject({ type: 'message', content: [{ type: 'text', text: 'yo' }], stop_reason: 'end_turn' });
  });

  it('send scripted HTTP errors with headers', async () => {
    server = await startFakeLlm('anthropic', [httpError(429, { headers: { 'retry-after': '3' } })]);
    const res = await post('/v1/messages', {});
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(await res.json()).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: 'scripted HTTP 429' } });
  });

  it.each(['openai', 'anthropic'] as const)('drop a stream after HTTP 200 and some of its text (%s)', async (protocol) => {
    server = await startFakeLlm(protocol, [dropMidStream('partial')]);
    const res = await post(protocol === 'openai' ? '/v1/chat/completions' : '/v1/messages', { stream: true, messages: [] });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    const error = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return undefined;
        text += new TextDecoder().decode(value);
      }
    })().catch((e: unknown) => e);
    expect(text).toContain('partial');
    expect(error).toMatchObject({ message: 'terminated', cause: { code: 'UND_ERR_SOCKET' } });
  });

  it('end a truncated answer with the protocol\'s output-limit reason', async () => {
    server = await startFakeLlm('openai', [truncated('cut')]);
    expect(await (await post('/v1/chat/completions', { stream: true, messages: [] })).text()).toContain('"finish_reason":"length"');
    server.enqueue(truncated('cut'));
    expect((await (await post('/v1/chat/completions', { messages: [] })).json()).choices[0].finish_reason).toBe('length');
    await server.close();
    server = await startFakeLlm('anthropic', [truncated('cut')]);
    expect(await (await post('/v1/messages', { stream: true })).text()).toContain('"stop_reason":"max_tokens"');
  });
});
