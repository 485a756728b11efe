import { afterEach, describe, expect, it } from 'vitest';
import { agentHarness, FAST_RETRY, type AgentHarness } from '../../testing/agent-harness';
import { hang, httpError, reset, say } from '../../testing/fake-llm-script';

let h: AgentHarness;
afterEach(async () => h?.close());

const FLOW = `
defaults: { model: "openai:gpt-test" }
phases:
  - { id: ask, kind: agent, prompt: "hello" }
`;
const notices = async (runId: string) => (await h.transcript(runId, 'ask')).filter((e) => e.role === 'notice').map((e) => (e.content as { message: string }).message);

describe('transient provider errors', () => {
  it('retries HTTP 500 with backoff, recording each retry as a notice', async () => {
    h = await agentHarness({ script: [httpError(500), httpError(502), say('third time lucky')] });
    const outcome = await h.run(FLOW);
    expect(outcome.status).toBe('succeeded');
    expect(h.llm.modelRequests).toHaveLength(3);
    expect(await notices(outcome.runId)).toEqual([
      'model call failed: openai returned HTTP 500: scripted HTTP 500; retrying in 10ms (try 2 of 3)',
      'model call failed: openai returned HTTP 502: scripted HTTP 502; retrying in 20ms (try 3 of 3)',
    ]);
    expect((await h.transcript(outcome.runId, 'ask')).map((e) => e.role)).toEqual(['system', 'user', 'notice', 'notice', 'assistant']);
  });

  it('waits as long as Retry-After says on HTTP 429', async () => {
    h = await agentHarness({ script: [httpError(429, { headers: { 'retry-after': '1' } }), say('ok')] });
    const started = Date.now();
    const outcome = await h.run(FLOW);
    expect(outcome.status).toBe('succeeded');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(await notices(outcome.runId)).toEqual(['model call failed: openai returned HTTP 429: scripted HTTP 429 (rate limited or out of quota); retrying in 1s (try 2 of 3)']);
  });

  it('retries a connection reset', async () => {
    h = await agentHarness({ script: [reset(), say('ok')] });
    const outcome = await h.run(FLOW);
    expect(outcome.status).toBe('succeeded');
    expect((await notices(outcome.runId))[0]).toMatch(/^model call failed: cannot reach http:\/\/127\.0\.0\.1:\d+\/v1: .*; retrying in 10ms \(try 2 of 3\)$/);
  });

  it('abandons a stream that goes silent and retries it', async () => {
    h = await agentHarness({ script: [hang('partial '), say('ok')], retry: { ...FAST_RETRY, idleTimeoutMs: 300 } });
    const outcome = await h.run(FLOW);
    expect(outcome.status).toBe('succeeded');
    expect((await notices(outcome.runId))[0]).toMatch(/sent nothing for 300ms; retrying/);
  });

  it('fails with PROVIDER_TRANSIENT in one line when retries run out', async () => {
    h = await agentHarness({ script: [httpError(500, { body: '<html>\n<h1>Bad gateway</h1>\n</html>' }), httpError(500), httpError(503, { body: { error: { message: 'overloaded' } } })] });
    const outcome = await h.run(FLOW);
    expect(outcome.error).toMatchObject({ code: 'PROVIDER_TRANSIENT', message: 'phase "ask": model call failed after 3 tries: openai returned HTTP 503: overloaded' });
    expect(h.llm.modelRequests).toHaveLength(3);
  });

  it('retries on the Anthropic protocol too', async () => {
    h = await agentHarness({ protocol: 'anthropic', script: [httpError(529), say('ok')] });
    const outcome = await h.run(FLOW.replace('openai:gpt-test', 'anthropic:claude-test'));
    expect(outcome.status).toBe('succeeded');
    expect((await notices(outcome.runId))[0]).toContain('anthropic returned HTTP 529');
  });
});
