import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { NoticeContent } from './agent-transcript';
import { agentHarness, type AgentHarness } from '../../testing/agent-harness';
import { say, truncated } from '../../testing/fake-llm-script';

let h: AgentHarness;
afterEach(async () => h?.close());

const FLOW = `
defaults: { model: "MODEL" }
phases:
  - id: write
    kind: agent
    prompt: "Write big.txt"
    tools: [write_file]
    retry: { attempts: 3, delay: 10ms }
`;
const MODELS = { openai: 'openai:gpt-test', anthropic: 'anthropic:claude-test' } as const;
const RAW_REASON = { openai: 'length', anthropic: 'max_tokens' } as const;
const notices = async (runId: string) => (await h.transcript(runId, 'write')).flatMap((e) => (e.role === 'notice' ? [e.content as NoticeContent] : []));

describe('an answer cut off at the output limit', () => {
  it.each(['openai', 'anthropic'] as const)('fails the phase with MODEL_OUTPUT_TRUNCATED when it is final text, without phase retries (%s)', async (protocol) => {
    h = await agentHarness({ protocol, script: [truncated('Here is the whole report: first, the')] });
    const outcome = await h.run(FLOW.replace('MODEL', MODELS[protocol]));
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.code).toBe('MODEL_OUTPUT_TRUNCATED');
    expect(outcome.error?.message).toBe(
      `phase "write": ${MODELS[protocol]} stopped at its output token limit (finish reason "${RAW_REASON[protocol]}"), so its answer is cut off; ask for a shorter answer (write long results to files with write_file, in parts) or use a model with a larger output limit`,
    );
    // The cut response is recorded (what the model wrote, and the tokens it cost), then the failure.
    const entries = await h.transcript(outcome.runId, 'write');
    expect(entries.map((e) => e.role)).toEqual(['system', 'user', 'assistant', 'notice']);
    expect(entries[2]?.usage).toEqual({ inputTokens: 10, outputTokens: 5, costUsd: null });
    expect(await notices(outcome.runId)).toEqual([{ kind: 'failed', code: 'MODEL_OUTPUT_TRUNCATED', message: outcome.error?.message }]);
    expect((await h.store.getPhases(outcome.runId))[0]).toMatchObject({ status: 'failed', output: null, attempts: 1 });
    expect(h.llm.modelRequests).toHaveLength(1);
  });

  it.each(['openai', 'anthropic'] as const)('never runs tool calls of a cut-off response (%s)', async (protocol) => {
    const cut = { name: 'write_file', args: '{"path":"big.txt","content":"line 1\\nline 2\\nli' };
    h = await agentHarness({ protocol, script: [truncated(undefined, [{ name: 'write_file', args: { path: 'small.txt', content: 'ok' } }, cut])] });
    const outcome = await h.run(FLOW.replace('MODEL', MODELS[protocol]));
    expect(outcome.error?.code).toBe('MODEL_OUTPUT_TRUNCATED');
    expect(outcome.error?.message).toContain(`phase "write": ${MODELS[protocol]} stopped at its output token limit (finish reason "${RAW_REASON[protocol]}") while calling write_file; no tool call of that response was run (its arguments may be cut off)`);
    expect(existsSync(join(h.dir.path, 'small.txt'))).toBe(false);
    expect(existsSync(join(h.dir.path, 'big.txt'))).toBe(false);
    expect((await h.transcript(outcome.runId, 'write')).map((e) => e.role)).toEqual(['system', 'user', 'assistant', 'notice']);
  });

  it('starts over on resume instead of taking the cut answer as the output', async () => {
    h = await agentHarness({ script: [truncated('half of it')] });
    const first = await h.run(FLOW.replace('MODEL', MODELS.openai));
    expect(first.error?.code).toBe('MODEL_OUTPUT_TRUNCATED');
    h.llm.enqueue(say('a short, whole answer'));
    const resumed = await h.resume(first.runId);
    expect(resumed.status).toBe('succeeded');
    expect((await h.store.getPhases(first.runId))[0]?.output).toBe('a short, whole answer');
    expect((await notices(first.runId)).map((n) => n.kind)).toEqual(['failed', 'restarted']);
    expect((h.llm.modelRequests[1]?.body as { messages: unknown[] }).messages).toHaveLength(2);
  });
});
