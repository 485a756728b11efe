/**
 * What model steps cost, end to end against the real-protocol fake servers: the usage a
 * provider reports (cached input, cache writes, reasoning), priced at the flow's
 * `prices:` or the catalogue when the step runs, stored with the step and summed per
 * phase, attempt and run. Unknown prices stay unknown ("no price"), never $0.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { knownCost } from '../../shared/usage';
import { agentHarness, type AgentHarness } from '../testing/agent-harness';
import { callTool, say } from '../testing/fake-llm-script';
import { priceFor } from './pricing/price-for';

let h: AgentHarness;
afterEach(async () => h?.close());

const usd = (micro: number) => micro / 1_000_000;

describe('cost of model steps', () => {
  it('prices OpenAI steps with cached input and reasoning at the flow price, per step, phase, attempt and run', async () => {
    h = await agentHarness({
      script: [
        { ...callTool('list_files', {}), usage: { input: 1_000, cachedInput: 400, output: 100, reasoning: 30 } },
        say('a done', { input: 2_000, output: 50 }),
        say('b done', { input: 500, output: 500 }),
      ],
    });
    const outcome = await h.run(`
prices:
  "openai:gpt-test": { input: 2, output: 8, cached_input: 0.5 }
defaults: { model: "openai:gpt-test" }
phases:
  - { id: a, kind: agent, prompt: "look", tools: [list_files] }
  - { id: b, kind: agent, prompt: "then", depends_on: [a] }
`);
    expect(outcome.status).toBe('succeeded');
    // 600 uncached × $2 + 400 cached × $0.50 + 100 out × $8 (reasoning is output) per million.
    const first = usd(600 * 2 + 400 * 0.5 + 100 * 8);
    const second = usd(2_000 * 2 + 50 * 8);
    const third = usd(500 * 2 + 500 * 8);
    const steps = (await h.transcript(outcome.runId, 'a')).flatMap((e) => (e.usage ? [e.usage] : []));
    expect(steps).toEqual([
      { inputTokens: 1_000, outputTokens: 100, cachedInputTokens: 400, reasoningTokens: 30, costUsd: expect.closeTo(first, 12) },
      { inputTokens: 2_000, outputTokens: 50, costUsd: expect.closeTo(second, 12) },
    ]);
    const [a, b] = await h.store.getPhases(outcome.runId);
    expect(a?.usage).toEqual({ inputTokens: 3_000, outputTokens: 150, cachedInputTokens: 400, reasoningTokens: 30, costUsd: expect.closeTo(first + second, 12), steps: 2, unpricedSteps: 0 });
    expect(b?.usage.costUsd).toBeCloseTo(third, 12);
    const run = await h.store.getRun(outcome.runId);
    expect(run?.usage).toMatchObject({ inputTokens: 3_500, outputTokens: 650, steps: 3, unpricedSteps: 0 });
    expect(run?.usage.costUsd).toBeCloseTo(first + second + third, 12);
    expect((await h.store.getAttempts(outcome.runId))[0]?.usage.costUsd).toBeCloseTo(first + second + third, 12);
  });

  it('prices Anthropic prompt-cache reads and writes (writes at the input price without a cache_write price)', async () => {
    h = await agentHarness({ protocol: 'anthropic', script: [say('ok', { input: 1_000, cachedInput: 600, cacheWrite: 100, output: 200 })] });
    const outcome = await h.run(`
prices: { "anthropic:claude-test": { input: 3, output: 15, cached_input: 0.3 } }
phases:
  - { id: ask, kind: agent, model: "anthropic:claude-test", prompt: "hi" }
`);
    expect(outcome.status).toBe('succeeded');
    const [step] = (await h.transcript(outcome.runId, 'ask')).flatMap((e) => (e.usage ? [e.usage] : []));
    expect(step).toEqual({ inputTokens: 1_000, outputTokens: 200, cachedInputTokens: 600, cacheWriteTokens: 100, costUsd: expect.closeTo(usd(300 * 3 + 600 * 0.3 + 100 * 3 + 200 * 15), 12) });
  });

  it('leaves steps of a model without a price unpriced: null cost, counted, never $0', async () => {
    h = await agentHarness({ script: [say('one', { input: 10, output: 5 }), say('two', { input: 20, output: 5 })] });
    const outcome = await h.run(`
prices: { "openai:gpt-test": { input: 1, output: 1 } }
phases:
  - { id: local, kind: agent, model: "ollama:llama3.2", prompt: "hi" }
  - { id: priced, kind: agent, model: "openai:gpt-test", prompt: "hi", depends_on: [local] }
`);
    expect(outcome.status).toBe('succeeded');
    const [local, priced] = await h.store.getPhases(outcome.runId);
    expect((await h.transcript(outcome.runId, 'local')).find((e) => e.usage)?.usage?.costUsd).toBeNull();
    expect(local?.usage).toMatchObject({ steps: 1, unpricedSteps: 1, costUsd: 0 });
    expect(knownCost(local!.usage)).toBeNull();
    expect(knownCost(priced!.usage)).toBeCloseTo(usd(25), 12);
    const run = await h.store.getRun(outcome.runId);
    expect(run?.usage).toMatchObject({ steps: 2, unpricedSteps: 1 });
  });

  it('takes catalogue prices for built-in providers, which a flow price overrides', async () => {
    const catalogue = await priceFor('openai:gpt-4o-mini', undefined);
    expect(catalogue).toMatchObject({ source: 'catalogue', base: { input: 0.15, output: 0.6, cachedInput: 0.075 } });
    expect(await priceFor('openai:gpt-4o-mini-2024-07-18', undefined)).toMatchObject({ base: { input: 0.15 } });
    expect(await priceFor('anthropic:claude-sonnet-4-5', undefined)).toMatchObject({ base: { input: 3, output: 15 }, tiers: [{ above: 200_000, price: { input: 6, output: 22.5 } }] });
    expect(await priceFor('openai:gpt-4o-mini', { 'openai:gpt-4o-mini': { input: 1, output: 2 } })).toEqual({ source: 'flow', base: { input: 1, output: 2 }, tiers: [] });
    expect(await priceFor('openai:no-such-model', undefined)).toBeNull();
    expect(await priceFor('ollama:llama3.2', undefined)).toBeNull();
    expect(await priceFor('local:llama3.2', { 'local:llama3.2': { input: 0, output: 0 } })).toMatchObject({ base: { input: 0, output: 0 } });

    h = await agentHarness({ script: [say('ok', { input: 10_000, cachedInput: 2_000, output: 1_000 })] });
    const outcome = await h.run('phases:\n  - { id: ask, kind: agent, model: "openai:gpt-4o-mini", prompt: "hi" }\n');
    const run = await h.store.getRun(outcome.runId);
    expect(run?.usage.costUsd).toBeCloseTo(usd(8_000 * 0.15 + 2_000 * 0.075 + 1_000 * 0.6), 12);
  });
});
