import { describe, expect, it } from 'vitest';
import { parseFlow } from '../../../shared/flow/load';
import { formatProblem } from '../../../shared/flow/problems';
import type { Flow } from '../../../shared/flow/schema';
import { unpricedModelProblems } from './budget-prices';

const load = (text: string): Flow => {
  const r = parseFlow(text, { file: '/f/flow.yaml' });
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.flow;
};
const problems = async (text: string) => (await unpricedModelProblems(load(text), text, '/f/flow.yaml')).map(formatProblem);

describe('budget.usd needs a price for every model', () => {
  it('names each unpriced model where it is written, and the fix', async () => {
    const text = `budget: { usd: 5 }
providers:
  local: { type: openai-compatible, base_url: "http://127.0.0.1:11434/v1" }
defaults: { model: "local:llama3.2" }
phases:
  - { id: plan, kind: agent, prompt: "p" }
  - { id: code, kind: agent, prompt: "c", depends_on: [plan], model: "openai:gpt-4o-mini" }
  - id: review
    kind: agent
    prompt: "r"
    model: "ollama:qwen3"
`;
    expect(await problems(text)).toEqual([
      '/f/flow.yaml:11:12: phase "review": model "ollama:qwen3" has no known price, and budget.usd needs one for every model (provider "ollama" has no catalogue prices); add its price per million tokens to the flow, e.g. prices: { "ollama:qwen3": { input: 0, output: 0 } } (0 for a free local model), or budget by tokens instead (budget: { tokens: N })',
      '/f/flow.yaml:4:20: defaults.model (used by "plan") "local:llama3.2" has no known price, and budget.usd needs one for every model (provider "local" has no catalogue prices); add its price per million tokens to the flow, e.g. prices: { "local:llama3.2": { input: 0, output: 0 } } (0 for a free local model), or budget by tokens instead (budget: { tokens: N })',
    ]);
  });

  it('names a model the catalogue does not know, and accepts the flow price that fixes it', async () => {
    const text = 'budget: { usd: 1 }\nphases:\n  - { id: a, kind: agent, prompt: "p", model: "openai:gpt-nonexistent" }\n';
    expect((await problems(text))[0]).toContain('the price catalogue has no openai model "gpt-nonexistent"');
    expect(await problems(`prices: { "openai:gpt-nonexistent": { input: 1, output: 2 } }\n${text}`)).toEqual([]);
  });

  it('asks nothing of flows without budget.usd (a token budget needs no price)', async () => {
    expect(await problems('budget: { tokens: 1000 }\nphases:\n  - { id: a, kind: agent, prompt: "p", model: "ollama:x" }\n')).toEqual([]);
    expect(await problems('phases:\n  - { id: a, kind: agent, prompt: "p", model: "ollama:x" }\n')).toEqual([]);
  });
});

describe('budget and prices keys', () => {
  it('are checked by the loader with their place in the file', () => {
    const r = parseFlow('budget: { usd: 0 }\nprices:\n  "gpt": { input: 1, output: 1 }\n  "local:x": { input: -1, output: 1 }\nphases:\n  - { id: a, kind: command, run: "true" }\n', { file: 'f.yaml' });
    expect(r.ok ? [] : r.problems.map(formatProblem)).toEqual([
      'f.yaml:1:16: budget.usd: a budget in USD must be more than 0',
      'f.yaml:3:10: prices.gpt: "gpt" is not a model: key a price by provider:model, e.g. "local:llama3.2"',
      'f.yaml:4:23: prices.local:x.input: the input price must be 0 or more (USD per million tokens)',
    ]);
    const key = parseFlow('prices:\n  "gpt": { input: 1, output: 1 }\nphases:\n  - { id: a, kind: command, run: "true" }\n', { file: 'f.yaml' });
    expect(key.ok ? [] : key.problems.map(formatProblem)).toEqual(['f.yaml:2:10: prices.gpt: "gpt" is not a model: key a price by provider:model, e.g. "local:llama3.2"']);
    const empty = parseFlow('budget: {}\nphases:\n  - { id: a, kind: command, run: "true" }\n');
    expect(empty.ok ? [] : empty.problems.map((p) => p.message)).toEqual(['budget: a budget needs `usd`, `tokens` or both, e.g. budget: { usd: 5 }']);
  });
});
