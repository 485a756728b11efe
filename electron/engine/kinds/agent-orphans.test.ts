/**
 * The agent's run_command records its process group too (SPEC §4): after a kill -9 of
 * the `waymark` process mid-command, the group is recorded, and resuming leaves nothing
 * of it running (on Linux bubblewrap's --die-with-parent may have ended it already; a
 * sandbox without that, or a group that escaped it, is stopped by the resume).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agentHarness, TEST_OPENAI_KEY, type AgentHarness } from '../../testing/agent-harness';
import { callTool, say } from '../../testing/fake-llm-script';
import { groupExists, killGroup } from '../../testing/process-group';
import { waitFor } from '../../testing/temp-dir';

const BIN = resolve(__dirname, '../../../bin/waymark.mjs');
let h: AgentHarness;
let pgid: number | undefined;
afterEach(async () => {
  killGroup(pgid);
  await h?.close();
});

describe('agent run_command after kill -9', () => {
  it('is recorded while it runs; after the resume nothing of it runs and its row is gone', async () => {
    h = await agentHarness({ script: [callTool('run_command', { command: "trap '' TERM; echo ran >> marks.txt; sleep 30" })] });
    const flow = h.dir.file('flow.yaml', 'phases:\n  - { id: work, kind: agent, model: "openai:gpt-test", prompt: "go", tools: [run_command] }\n');
    const child = spawn(process.execPath, [BIN, 'run', flow, '--db', h.dbPath], {
      env: { PATH: process.env.PATH, HOME: h.dir.path, OPENAI_API_KEY: TEST_OPENAI_KEY, OPENAI_BASE_URL: h.llm.baseURL },
      stdio: 'ignore',
    });
    const exit = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
    await waitFor(() => existsSync(join(h.dir.path, 'marks.txt')), 20_000, 'the command to start');
    child.kill('SIGKILL');
    expect(await exit).toBe('SIGKILL');
    const runId = (await h.store.listRuns(1))[0]?.id as string;
    const [row, ...more] = await h.store.processesOf(runId);
    expect(more).toEqual([]);
    expect(row).toMatchObject({ phaseId: 'work', attempt: 1 });
    pgid = row?.pgid;
    expect(pgid).toBeGreaterThan(1);

    h.llm.enqueue(say('done after crash'));
    expect((await h.resume(runId)).status).toBe('succeeded');
    await waitFor(() => !groupExists(pgid as number), 2_000, 'the orphaned command to be gone');
    expect(await h.store.processesOf(runId)).toEqual([]);
  });
});
