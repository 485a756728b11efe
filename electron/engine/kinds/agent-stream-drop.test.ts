import { afterEach, describe, expect, it } from 'vitest';
import { agentHarness, type AgentHarness } from '../../testing/agent-harness';
import { dropMidStream, say } from '../../testing/fake-llm-script';

let h: AgentHarness;
afterEach(async () => h?.close());

const FLOW = `
defaults: { model: "MODEL" }
phases:
  - { id: ask, kind: agent, prompt: "hello" }
`;
const MODELS = { openai: 'openai:gpt-test', anthropic: 'anthropic:claude-test' } as const;

describe('a stream that dies after HTTP 200', () => {
  it.each(['openai', 'anthropic'] as const)('is retried as transient, and its partial text is not saved (%s)', async (protocol) => {
    h = await agentHarness({ protocol, script: [dropMidStream('half an ans'), say('the whole answer')] });
    const outcome = await h.run(FLOW.replace('MODEL', MODELS[protocol]));
    expect(outcome.status).toBe('succeeded');
    expect(h.llm.modelRequests).toHaveLength(2);
    const entries = await h.transcript(outcome.runId, 'ask');
    expect(entries.map((e) => e.role)).toEqual(['system', 'user', 'notice', 'assistant']);
    const notice = entries[2]?.content as { kind: string; message: string };
    expect(notice.kind).toBe('retry');
    expect(notice.message).toMatch(/^model call failed: the connection to http:\/\/127\.0\.0\.1:\d+\/v1 was closed mid-response \(UND_ERR_SOCKET: other side closed\); retrying in 10ms \(try 2 of 3\)$/);
    // The dead stream's text was streamed live, but never saved as an assistant message.
    const live = h.events.flatMap((e) => (e.type === 'phase.delta' ? [e.text] : [])).join('');
    expect(live).toContain('half an ans');
    expect(JSON.stringify(entries.map((e) => e.content))).not.toContain('half an');
    expect((await h.store.getPhases(outcome.runId))[0]?.output).toBe('the whole answer');
  });
});
