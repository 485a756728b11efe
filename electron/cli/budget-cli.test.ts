/**
 * The budget through the real command line (SPEC §6): a run that spends its budget
 * exits 5 saying what it spent and the exact command that raises it; a bad
 * `--budget-usd` is a usage error; the raise continues the run; `--json`, `show` and
 * `runs` carry tokens and cost.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exited, startCli } from '../testing/cli-process';
import { startFakeLlm, type FakeLlmServer } from '../testing/fake-llm-server';
import { callTool, say } from '../testing/fake-llm-script';
import { tempDir, type TempDir } from '../testing/temp-dir';

let dir: TempDir;
let llm: FakeLlmServer;
afterEach(async () => {
  await llm?.close();
  dir?.remove();
});

async function waymark(db: string, args: string[]) {
  const child = startCli(db, args);
  const code = await exited(child);
  return { code, ...child.output() };
}

describe('waymark and budgets', () => {
  it('exits 5 at the budget with the raise command, refuses a bad raise, and continues with a good one', async () => {
    dir = tempDir('waymark-budget-cli-');
    // $10 per million tokens: the two calls cost $0.015 and $0.011, past the $0.02 budget.
    llm = await startFakeLlm('openai', [
      { ...callTool('list_files', {}), usage: { input: 1_000, output: 500 } },
      { ...callTool('list_files', {}), usage: { input: 1_000, output: 100 } },
      say('done', { input: 1_100, output: 10 }),
    ]);
    const flow = dir.file('flow.yaml', `
budget: { usd: 0.02 }
providers:
  fake: { type: openai-compatible, base_url: "${llm.baseURL}" }
prices: { "fake:m": { input: 10, output: 10 } }
phases:
  - { id: work, kind: agent, model: "fake:m", prompt: "go", tools: [list_files] }
`);
    const db = join(dir.path, 'waymark.db');

    const first = await waymark(db, ['run', flow]);
    expect(first.code).toBe(5);
    const runId = /run (\w+) ·/.exec(first.stdout)?.[1] as string;
    expect(first.stdout).toContain('2k in · 600 out tokens · $0.026');
    expect(first.stderr).toContain('the budget is reached: spent $0.026 of $0.02 (stopped: work).');
    expect(first.stderr).toContain(`raise it and continue: waymark resume ${runId} --budget-usd 0.04`);

    const bad = await waymark(db, ['resume', runId, '--budget-usd', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected an amount of US dollars above 0');

    const raised = await waymark(db, ['resume', runId, '--budget-usd', '0.04', '--json']);
    expect(raised.code).toBe(0);
    const doc = JSON.parse(raised.stdout) as { status: string; usage: { inputTokens: number; outputTokens: number; costUsd: number }; phases: { usage: { costUsd: number } }[] };
    expect(doc.status).toBe('succeeded');
    expect(doc.usage).toMatchObject({ inputTokens: 3_100, outputTokens: 610, costUsd: expect.closeTo(0.0371, 12) });
    expect(doc.phases[0]?.usage.costUsd).toBeCloseTo(0.0371, 12);
    expect(llm.modelRequests).toHaveLength(3);

    const show = await waymark(db, ['show', runId]);
    expect(show.stdout).toContain('3.1k in · 610 out tokens · $0.0371');
    expect(show.stdout).toMatch(/work\s+succeeded\s+2\s+\S+\s+3\.1k in · 610 out\s+\$0\.0371/);
    const runs = await waymark(db, ['runs']);
    expect(runs.stdout).toMatch(/COST/);
    expect(runs.stdout).toContain('$0.0371');
  });
});
