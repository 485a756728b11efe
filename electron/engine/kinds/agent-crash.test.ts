/**
 * kill -9 in the middle of a tool call: the engine runs in a real `waymark` process,
 * killed while its model's run_command runs (the test does it: the sandboxed command
 * cannot see, let alone signal, the process that started it). Resuming in this
 * process must not run the command again, must re-run the idempotent call it never got
 * to, and must continue from the saved conversation.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agentHarness, TEST_OPENAI_KEY, type AgentHarness } from '../../testing/agent-harness';
import { callTool, callTools, say } from '../../testing/fake-llm-script';
import { waitFor } from '../../testing/temp-dir';

const BIN = resolve(__dirname, '../../../bin/waymark.mjs');
let h: AgentHarness;
afterEach(async () => h?.close());

describe('agent phase after kill -9', () => {
  it('never re-runs the interrupted command, re-runs the unanswered read, and continues the conversation', async () => {
    h = await agentHarness({
      script: [
        callTool('write_file', { path: 'notes.txt', content: 'v1' }),
        callTools({ name: 'run_command', args: { command: 'echo ran >> marks.txt; sleep 30' } }, { name: 'read_file', args: { path: 'notes.txt' } }),
      ],
    });
    const flow = h.dir.file('flow.yaml', 'phases:\n  - { id: work, kind: agent, model: "openai:gpt-test", prompt: "go", tools: [write_file, read_file, run_command] }\n');
    const child = spawn(process.execPath, [BIN, 'run', flow, '--db', h.dbPath], {
      env: { PATH: process.env.PATH, HOME: h.dir.path, OPENAI_API_KEY: TEST_OPENAI_KEY, OPENAI_BASE_URL: h.llm.baseURL },
      stdio: 'ignore',
    });
    const exit = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
    await waitFor(() => existsSync(join(h.dir.path, 'marks.txt')), 20_000, 'the command to start');
    child.kill('SIGKILL');
    expect(await exit).toBe('SIGKILL');
    const runId = (await h.store.listRuns(1))[0]?.id as string;
    expect((await h.transcript(runId, 'work')).map((e) => e.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant']);

    h.llm.enqueue(say('done after crash'));
    const outcome = await h.resume(runId);
    expect(outcome.status).toBe('succeeded');
    expect(readFileSync(join(h.dir.path, 'marks.txt'), 'utf8')).toBe('ran\n');
    const before = (h.llm.modelRequests[1]?.body as { messages: unknown[] }).messages;
    const after = (h.llm.modelRequests[2]?.body as { messages: { role: string; content: unknown; tool_call_id?: string }[] }).messages;
    expect(after.slice(0, before.length)).toEqual(before);
    const results = after.slice(before.length + 1);
    expect(results.map((m) => m.role)).toEqual(['tool', 'tool']);
    expect(String(results[0]?.content)).toContain('effects are unknown');
    expect(results[1]?.content).toBe('v1');
  });
});
