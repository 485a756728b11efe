/**
 * A phase's timeout and Ctrl+C end it whatever its tool is doing: the tool call races
 * the phase's signal (tools/race-abort.ts). The stuck operation here is real: Node's
 * threadpool is filled with blocked FIFO opens, so the tool's first file-system call
 * waits in the queue, uncancellable, exactly as behind a hung mount.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agentHarness, type AgentHarness } from '../../testing/agent-harness';
import { callTool, say, type Script } from '../../testing/fake-llm-script';
import { stickThreadpool, type StuckThreadpool } from '../../testing/stuck-threadpool';
import { tempDir, waitFor, type TempDir } from '../../testing/temp-dir';
import { abandonedToolCalls } from '../tools/race-abort';

let h: AgentHarness | undefined;
let stuck: StuckThreadpool | undefined;
let fifoDir: TempDir | undefined;
afterEach(async () => {
  await stuck?.release();
  stuck = undefined;
  if (h) unblockFifo(join(h.dir.path, 'pipe'));
  await h?.close();
  h = undefined;
  fifoDir?.remove();
  fifoDir = undefined;
});

const flow = (extra: string) => `
name: stuck
defaults: { model: "openai:gpt-test" }
phases:
  - id: write
    kind: agent
    prompt: "Write the file"
    tools: [write_file]
${extra}`;

/** Resolves with `work`, or fails the test when it takes longer than `ms` (no hanging suite). */
async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms)));
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Opens the read end without blocking, so a writer stuck opening the FIFO (the old code) returns. */
function unblockFifo(path: string): void {
  try {
    closeSync(openSync(path, constants.O_RDONLY | constants.O_NONBLOCK));
  } catch {
    // not there: nothing to unblock
  }
}

/** The model asks for write_file; the threadpool is stuck before the tool runs. */
function stickThenCall(): (request: unknown) => Script {
  return () => {
    fifoDir = tempDir('waymark-stuck-');
    stuck = stickThreadpool(fifoDir.path);
    return callTool('write_file', { path: 'late.txt', content: 'written after the phase ended' });
  };
}

describe.skipIf(process.platform === 'win32')('a phase ends whatever its tool is doing', () => {
  it('write_file on a FIFO fails at once with a clear error, well inside a 2s timeout', async () => {
    h = await agentHarness({ script: [1, 2, 3].map(() => callTool('write_file', { path: 'pipe', content: 'x' })) });
    execFileSync('mkfifo', [join(h.dir.path, 'pipe')]);
    const started = Date.now();
    const outcome = await within(4_000, 'the run', h.run(flow('    timeout: 2s')));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(outcome.error).toMatchObject({ code: 'TOOL_FAILED' });
    expect(outcome.error?.message).toContain('"pipe" is a FIFO (named pipe); only regular files can be written');
  });

  it('the phase timeout ends a phase whose tool is stuck in an uncancellable fs call; the call leaves no trace', async () => {
    h = await agentHarness({ script: [stickThenCall(), say('never reached')] });
    const started = Date.now();
    const outcome = await within(5_000, 'the run', h.run(flow('    timeout: 1s')));
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'PHASE_TIMEOUT', message: expect.stringContaining('phase "write" timed out after 1') } });
    expect(abandonedToolCalls()).toBe(1);
    // Unstick: the abandoned call runs on, sees the aborted signal and stops before writing.
    await stuck?.release();
    await waitFor(() => abandonedToolCalls() === 0, 5_000, 'the abandoned call to return');
    expect(existsSync(join(h.dir.path, 'late.txt'))).toBe(false);
    expect((await h.transcript(outcome.runId, 'write')).map((e) => e.role)).toEqual(['system', 'user', 'assistant']);
    expect(h.llm.modelRequests).toHaveLength(1);
  });

  it('Ctrl+C (engine.shutdown) ends such a phase promptly; the run is interrupted, resumable', async () => {
    h = await agentHarness({ script: [stickThenCall(), say('never reached')] });
    const harness = h;
    const { runId, done } = await harness.start(flow(''));
    await waitFor(() => harness.events.some((e) => e.type === 'transcript.appended' && e.runId === runId && (e as { index: number }).index === 2), 5_000, 'the tool call');
    const started = Date.now();
    await within(2_000, 'shutdown', harness.engine.shutdown());
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(abandonedToolCalls()).toBe(1);
    expect(await done).toMatchObject({ status: 'interrupted' });
    await stuck?.release();
    await waitFor(() => abandonedToolCalls() === 0, 5_000, 'the abandoned call to return');
    expect(existsSync(join(harness.dir.path, 'late.txt'))).toBe(false);
    expect((await harness.transcript(runId, 'write')).map((e) => e.role)).toEqual(['system', 'user', 'assistant']);
  });
});
