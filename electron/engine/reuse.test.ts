/**
 * What a resume saved and spent again (shared/reuse.ts), from a real run's event log:
 * the reused phase's successful try is what reuse saved; the failed phase's steps in the
 * resumed attempt are what it spent again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { emptyTotals } from '../../shared/usage';
import { agentHarness, type AgentHarness } from '../testing/agent-harness';
import { callTool, httpError, say } from '../testing/fake-llm-script';
import { reuseOf } from '../store/reuse-of';

let h: AgentHarness;
afterEach(async () => h?.close());

const usd = (micro: number) => micro / 1_000_000;

describe('reuse', () => {
  it("counts the reused phases' successful tries as saved, and re-run steps as spent again", async () => {
    h = await agentHarness({ script: [say('plan', { input: 100, output: 10 }), { ...callTool('list_files', {}), usage: { input: 50, output: 5 } }, httpError(400)] });
    const first = await h.run(`
prices: { "openai:gpt-test": { input: 1, output: 2 } }
defaults: { model: "openai:gpt-test" }
phases:
  - { id: plan, kind: agent, prompt: "plan" }
  - { id: build, kind: agent, prompt: "build {{phases.plan.output}}", depends_on: [plan], tools: [list_files] }
`);
    expect(first.status).toBe('failed');
    expect(await reuseOf(h.store, (await h.store.getRun(first.runId))!)).toBeNull();

    h.llm.enqueue(say('built', { input: 70, output: 7 }));
    expect((await h.resume(first.runId)).status).toBe('succeeded');
    const run = (await h.store.getRun(first.runId))!;
    expect(await reuseOf(h.store, run)).toEqual({
      resumes: 1,
      reusedPhases: 1,
      saved: { ...emptyTotals(), inputTokens: 100, outputTokens: 10, costUsd: usd(100 + 20), steps: 1 },
      rerunPhases: ['build'],
      spentAgain: { ...emptyTotals(), inputTokens: 70, outputTokens: 7, costUsd: usd(70 + 14), steps: 1 },
    });
  });
});
