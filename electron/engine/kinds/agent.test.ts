import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PhaseDeltaEvent } from '../../../shared/events';
import { agentHarness, type AgentHarness } from '../../testing/agent-harness';
import { callTool, hang, httpError, malformed, say } from '../../testing/fake-llm-script';

let h: AgentHarness;

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
afterEach(async () => h?.close());

const TOOL_FLOW = `
name: tools
defaults: { model: "openai:gpt-test" }
phases:
  - id: write
    kind: agent
    system: "You write files."
    prompt: "Write hello.txt"
    tools: [write_file, read_file]
`;

type Body = { messages: { role: string; content: unknown; tool_calls?: unknown[]; tool_call_id?: string }[]; tools?: { function: { name: string } }[] };
const bodyOf = (i: number) => h.llm.modelRequests[i]?.body as Body;

describe('agent phases: the tool loop', () => {
  it.each(['openai', 'anthropic'] as const)('runs write_file, read_file, then answers, recording each step in order (%s)', async (protocol) => {
    h = await agentHarness({
      protocol,
      script: [callTool('write_file', { path: 'out/hello.txt', content: 'hi there' }), callTool('read_file', { path: 'out/hello.txt' }), say('The file says: hi there', { input: 30, output: 7 })],
    });
    const model = protocol === 'openai' ? 'openai:gpt-test' : 'anthropic:claude-test';
    const outcome = await h.run(TOOL_FLOW.replace('openai:gpt-test', model));
    expect(outcome.status).toBe('succeeded');
    expect(readFileSync(join(h.dir.path, 'out/hello.txt'), 'utf8')).toBe('hi there');
    expect((await h.store.getPhases(outcome.runId))[0]?.output).toBe('The file says: hi there');

    const entries = await h.transcript(outcome.runId, 'write');
    expect(entries.map((e) => [e.index, e.role])).toEqual([
      [0, 'system'],
      [1, 'user'],
      [2, 'assistant'],
      [3, 'tool'],
      [4, 'assistant'],
      [5, 'tool'],
      [6, 'assistant'],
    ]);
    expect(entries[0]?.content).toEqual({ role: 'system', content: 'You write files.' });
    expect(entries[1]?.content).toEqual({ role: 'user', content: 'Write hello.txt' });
    expect(JSON.stringify(entries[5]?.content)).toContain('hi there');
    expect(entries[6]?.usage).toEqual({ inputTokens: 30, outputTokens: 7, costUsd: null }); // gpt-test has no price
    expect((await h.store.getPhases(outcome.runId))[0]?.usage).toMatchObject({ inputTokens: 50, outputTokens: 17, steps: 3, unpricedSteps: 3 });
    // The third request carries the whole conversation, tool results included.
    expect(h.llm.modelRequests).toHaveLength(3);
    expect(JSON.stringify(h.llm.modelRequests[2]?.body)).toContain('wrote 8 bytes to out/hello.txt');
    // One append per step: transcript facts are committed one by one, never rewritten.
    const appended = h.events.filter((e) => e.type === 'transcript.appended');
    expect(appended.map((e) => (e as { index: number }).index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('sends the rendered templates, tool declarations, and streams coalesced deltas', async () => {
    const text = 'x'.repeat(400);
    h = await agentHarness({ script: [{ type: 'reply', text, chunkSize: 2, chunkDelayMs: 1 }] });
    const outcome = await h.run(`
inputs: { topic: { default: "owls" } }
defaults: { model: "openai:gpt-test" }
phases:
  - { id: up, kind: command, run: "echo 'from upstream; $(rm -rf /)'" }
  - id: down
    kind: agent
    depends_on: [up]
    system: "Expert on {{inputs.topic}}."
    prompt: "Use: {{phases.up.output}}"
    tools: [list_files]
`);
    expect(outcome.status).toBe('succeeded');
    const body = bodyOf(0);
    expect(body.messages[0]).toEqual({ role: 'system', content: 'Expert on owls.' });
    expect(body.messages[1]).toEqual({ role: 'user', content: 'Use: from upstream; $(rm -rf /)' });
    expect(body.tools?.map((t) => t.function.name)).toEqual(['list_files']);
    const deltas = h.events.filter((e): e is PhaseDeltaEvent => e.type === 'phase.delta');
    expect(deltas.map((d) => d.text).join('')).toBe(text);
    expect(deltas.length).toBeLessThan(100); // 200 chunks arrived, coalesced
  });

  it('speaks to ollama and openai-compatible providers through /v1/chat/completions', async () => {
    h = await agentHarness({ script: [say('from ollama'), say('from local')], env: { LOCAL_KEY: 'local-secret-123456' } });
    const outcome = await h.run(`
providers:
  local: { type: openai-compatible, base_url: "${'BASE'}", api_key_env: LOCAL_KEY }
phases:
  - { id: a, kind: agent, model: "ollama:llama3.2:3b", prompt: "hi" }
  - { id: b, kind: agent, model: "local:qwen:7b", prompt: "hi", depends_on: [a] }
`.replace('BASE', h.llm.baseURL));
    expect(outcome.status).toBe('succeeded');
    expect(h.llm.modelRequests.map((r) => r.path)).toEqual(['/v1/chat/completions', '/v1/chat/completions']);
    expect((h.llm.modelRequests[0]?.body as { model: string }).model).toBe('llama3.2:3b');
    expect((h.llm.modelRequests[1]?.body as { model: string }).model).toBe('qwen:7b');
    expect(h.llm.modelRequests[1]?.headers.authorization).toBe('Bearer local-secret-123456');
  });
});

describe('agent phases: failures', () => {
  it('fails with PROVIDER_CONFIG naming the variable when the key is missing, before any request', async () => {
    h = await agentHarness({ env: { OPENAI_API_KEY: undefined } });
    const outcome = await h.run(TOOL_FLOW);
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.code).toBe('PROVIDER_CONFIG');
    expect(outcome.error?.message).toContain('OPENAI_API_KEY');
    expect(h.llm.requests).toHaveLength(0);
  });

  it('names the URL when the server cannot be reached', async () => {
    const port = await closedPort();
    h = await agentHarness({ env: { OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` } });
    const outcome = await h.run(TOOL_FLOW);
    expect(outcome.error?.code).toBe('PROVIDER_TRANSIENT');
    expect(outcome.error?.message).toContain(`http://127.0.0.1:${port}/v1`);
    expect(outcome.error?.message).toMatch(/connection refused/);
  });

  it.each(['openai', 'anthropic'] as const)('reports a provider sending malformed JSON as PROVIDER_ERROR (%s)', async (protocol) => {
    h = await agentHarness({ protocol, script: [malformed()] });
    const outcome = await h.run(TOOL_FLOW.replace('openai:gpt-test', protocol === 'openai' ? 'openai:gpt-test' : 'anthropic:claude-test'));
    expect(outcome.error?.code).toBe('PROVIDER_ERROR');
    expect(outcome.error?.message).toMatch(/malformed response/);
    expect(outcome.error?.message).not.toMatch(/\n|at .*\.js|Text:/);
    expect(h.llm.modelRequests).toHaveLength(1); // not retried
  });

  it.each(['openai', 'anthropic'] as const)('reports a plain JSON body where a stream was expected as PROVIDER_ERROR (%s)', async (protocol) => {
    h = await agentHarness({ protocol, script: [httpError(200, { body: { choices: [{ message: { content: 'not a stream' } }] } })] });
    const outcome = await h.run(TOOL_FLOW.replace('openai:gpt-test', protocol === 'openai' ? 'openai:gpt-test' : 'anthropic:claude-test'));
    expect(outcome.error?.code).toBe('PROVIDER_ERROR');
    expect(outcome.error?.message).toMatch(/\(http:\/\/127\.0\.0\.1:\d+\/v1\) (returned no text and no tool call|ended its response without any output).*; check that the base URL points to/);
  });

  it('fails a 401 at once with one actionable line', async () => {
    h = await agentHarness({ script: [httpError(401, { body: { error: { message: 'Incorrect API key provided: sk-test-0123456789abcdefghij.' } } })] });
    const outcome = await h.run(TOOL_FLOW);
    expect(outcome.error?.code).toBe('PROVIDER_ERROR');
    expect(outcome.error?.message).toBe('phase "write": openai returned HTTP 401: Incorrect API key provided: [redacted]. (check OPENAI_API_KEY)');
    expect(h.llm.modelRequests).toHaveLength(1);
  });

  it('stops a hanging model call at the phase timeout', async () => {
    h = await agentHarness({ script: [hang()] });
    const outcome = await h.run(TOOL_FLOW.replace('tools: [write_file, read_file]', 'timeout: 300ms'));
    expect(outcome.error?.code).toBe('PHASE_TIMEOUT');
  });

  it('ends with STEP_BUDGET_EXHAUSTED when max_steps runs out', async () => {
    h = await agentHarness({ script: [callTool('read_file', { path: 'a' }), callTool('read_file', { path: 'b' })] });
    const outcome = await h.run(TOOL_FLOW.replace('tools: [write_file, read_file]', 'tools: [read_file]\n    max_steps: 2'));
    expect(outcome.error?.code).toBe('STEP_BUDGET_EXHAUSTED');
    expect(outcome.error?.message).toContain('max_steps 2');
    expect(h.llm.modelRequests).toHaveLength(2);
    const last = (await h.transcript(outcome.runId, 'write')).at(-1);
    expect(last?.role).toBe('notice');
    expect(last?.content).toMatchObject({ kind: 'failed', code: 'STEP_BUDGET_EXHAUSTED' });
  });

  it('takes max_steps from flow defaults', async () => {
    h = await agentHarness({ script: [callTool('read_file', { path: 'a' })] });
    const outcome = await h.run(TOOL_FLOW.replace('defaults: {', 'defaults: { max_steps: 1,'));
    expect(outcome.error?.code).toBe('STEP_BUDGET_EXHAUSTED');
    expect(h.llm.modelRequests).toHaveLength(1);
  });

  it('returns tool errors to the model, and ends with TOOL_FAILED on the third identical failing call', async () => {
    const bad = { path: '../outside.txt' };
    h = await agentHarness({ script: [callTool('read_file', bad), callTool('read_file', { path: 'missing.txt' }), callTool('read_file', bad), callTool('read_file', bad)] });
    const outcome = await h.run(TOOL_FLOW);
    expect(outcome.error?.code).toBe('TOOL_FAILED');
    expect(outcome.error?.message).toContain('read_file');
    expect(outcome.error?.message).toContain('3 times');
    expect(h.llm.modelRequests).toHaveLength(4);
    const second = bodyOf(1).messages.at(-1);
    expect(second?.role).toBe('tool');
    expect(String(second?.content)).toContain('".." is not allowed');
  });

  it('answers an unknown tool or broken arguments with an error result the model sees', async () => {
    h = await agentHarness({ script: [callTool('delete_everything', {}), callTool('write_file', '{"path": "a.txt", '), say('ok')] });
    const outcome = await h.run(TOOL_FLOW);
    expect(outcome.status).toBe('succeeded');
    expect(String(bodyOf(1).messages.at(-1)?.content)).toContain('unknown tool "delete_everything"');
    expect(String(bodyOf(2).messages.at(-1)?.content)).toContain('invalid arguments for write_file');
  });
});
