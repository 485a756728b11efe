/**
 * Budget enforcement end to end (SPEC §3): an agent phase stops at a step boundary when
 * the run's budget is spent, its conversation saved; other phases go on, dependents
 * wait; the run ends `waiting` with what it spent; a resume with a raised budget
 * continues the conversation without repeating a model call or a tool's side effect.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agentHarness, type AgentHarness } from '../testing/agent-harness';
import { callTool, say } from '../testing/fake-llm-script';

let h: AgentHarness;
afterEach(async () => h?.close());

type Body = { messages: unknown[] };
const messagesOf = (i: number) => (h.llm.modelRequests[i]?.body as Body).messages;

// $10 per million tokens in and out: 1,000 tokens cost $0.01.
const FLOW = `
budget: { usd: 0.02 }
prices: { "openai:gpt-test": { input: 10, output: 10 } }
defaults: { model: "openai:gpt-test" }
phases:
  - { id: work, kind: agent, prompt: "do it", tools: [run_command] }
  - { id: side, kind: command, run: "echo side" }
  - { id: after, kind: command, depends_on: [work], run: "echo after" }
`;

describe('budgets', () => {
  it('stops the agent at a step boundary, ends waiting, and a raised budget continues without repeating anything', async () => {
    h = await agentHarness({
      script: [
        { ...callTool('run_command', { command: 'echo one >> marks.txt' }), usage: { input: 1_000, output: 500 } },
        { ...callTool('run_command', { command: 'echo two >> marks.txt' }), usage: { input: 1_000, output: 100 } },
      ],
    });
    const first = await h.run(FLOW);
    expect(first.status).toBe('waiting');
    expect(first.waitingFor?.budget).toEqual({ limit: { usd: 0.02 }, spentUsd: expect.closeTo(0.026, 12), spentTokens: 2_600 });
    expect(h.llm.modelRequests).toHaveLength(2);
    const phases = Object.fromEntries((await h.store.getPhases(first.runId)).map((p) => [p.phaseId, p.status]));
    expect(phases).toEqual({ work: 'waiting', side: 'succeeded', after: 'pending' });
    // Both tool calls ran (their results are saved), then the phase stopped before its third call.
    const entries = await h.transcript(first.runId, 'work');
    expect(entries.map((e) => e.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'tool', 'notice']);
    expect((entries[6]?.content as { kind: string; message: string }).kind).toBe('budget');
    expect((entries[6]?.content as { message: string }).message).toContain('spent $0.026 of $0.02');
    expect(readFileSync(join(h.dir.path, 'marks.txt'), 'utf8')).toBe('one\ntwo\n');
    expect((await h.store.getRun(first.runId))?.waitingFor?.budget?.spentTokens).toBe(2_600);

    h.llm.enqueue(say('all done', { input: 1_200, output: 10 }));
    const second = await (await h.engine.resumeRun({ runId: first.runId, budgetUsd: 1 })).done;
    expect(second.status).toBe('succeeded');
    // One more model call, continuing the saved conversation: nothing asked twice, no tool run twice.
    expect(h.llm.modelRequests).toHaveLength(3);
    expect(messagesOf(2).slice(0, messagesOf(1).length)).toEqual(messagesOf(1));
    expect(messagesOf(2)).toHaveLength(messagesOf(1).length + 2); // the second call, and its tool result
    expect(readFileSync(join(h.dir.path, 'marks.txt'), 'utf8')).toBe('one\ntwo\n');
    expect((await h.store.getPhases(first.runId)).map((p) => [p.phaseId, p.status, p.output])).toEqual([
      ['work', 'succeeded', 'all done'],
      ['side', 'succeeded', 'side'],
      ['after', 'succeeded', 'after'],
    ]);
    expect((await h.store.getAttempts(first.runId)).map((a) => a.budget)).toEqual([{ usd: 0.02 }, { usd: 1 }]);
  });

  it('stops a phase that starts after the budget is spent before its first model call', async () => {
    h = await agentHarness({ script: [say('plan', { input: 3_000, output: 0 })] });
    const outcome = await h.run(`
budget: { usd: 0.02 }
prices: { "openai:gpt-test": { input: 10, output: 10 } }
defaults: { model: "openai:gpt-test" }
phases:
  - { id: plan, kind: agent, prompt: "plan" }
  - { id: build, kind: agent, prompt: "build {{phases.plan.output}}", depends_on: [plan] }
`);
    expect(outcome.status).toBe('waiting');
    expect(h.llm.modelRequests).toHaveLength(1);
    expect((await h.store.getPhases(outcome.runId)).map((p) => [p.phaseId, p.status])).toEqual([['plan', 'succeeded'], ['build', 'waiting']]);
    // Nothing of the prompt was recorded: a resume starts the phase as if new.
    expect((await h.transcript(outcome.runId, 'build')).map((e) => e.role)).toEqual(['notice']);
  });

  it('counts a token budget across attempts, and refuses a USD budget for a model without a price', async () => {
    h = await agentHarness({ script: [{ ...callTool('list_files', {}), usage: { input: 80, output: 40 } }] });
    const first = await h.run(`
budget: { tokens: 100 }
defaults: { model: "openai:gpt-test" }
phases:
  - { id: look, kind: agent, prompt: "look", tools: [list_files] }
`);
    expect(first.status).toBe('waiting');
    expect(first.waitingFor?.budget).toEqual({ limit: { tokens: 100 }, spentUsd: 0, spentTokens: 120 });

    // Still over: the next call is refused at once, counting the first attempt's tokens.
    const again = await h.resume(first.runId);
    expect(again.status).toBe('waiting');
    expect(h.llm.modelRequests).toHaveLength(1);

    // A USD limit needs prices: gpt-test has none, so the raise is refused before anything runs.
    await expect(h.engine.resumeRun({ runId: first.runId, budgetUsd: 5 })).rejects.toMatchObject({ code: 'FLOW_INVALID', message: expect.stringContaining('"openai:gpt-test" has no known price') });
    await expect(h.engine.resumeRun({ runId: first.runId, budgetUsd: 0 })).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining('--budget-usd must be a number of US dollars above 0') });
    expect((await h.store.getRun(first.runId))?.status).toBe('waiting');
  });
  it('with max_output_tokens, sends the limit and does not make a call whose worst case could pass the budget', async () => {
    // $10 per million in and out; each call may write 1,500 tokens ($0.015).
    h = await agentHarness({ script: [say('plan', { input: 500, output: 200 })] });
    const outcome = await h.run(`
budget: { usd: 0.02 }
prices: { "openai:gpt-test": { input: 10, output: 10 } }
defaults: { model: "openai:gpt-test", max_output_tokens: 1500 }
phases:
  - { id: plan, kind: agent, prompt: "plan" }
  - { id: build, kind: agent, prompt: "build {{phases.plan.output}}", depends_on: [plan] }
`);
    // plan: at most $0.015 and its input, within $0.02; it spent $0.007. build: $0.007 spent plus
    // up to $0.015 could pass $0.02, so its call is not made (without the limit it would be).
    const body = h.llm.modelRequests[0]?.body as { max_tokens?: number; max_completion_tokens?: number };
    expect(body.max_completion_tokens ?? body.max_tokens).toBe(1500);
    expect(outcome.status).toBe('waiting');
    expect(h.llm.modelRequests).toHaveLength(1);
    const build = (await h.transcript(outcome.runId, 'build')).find((e) => e.role === 'notice');
    expect((build?.content as { message: string }).message).toContain('with its max_output_tokens it may cost about');
  });
});
