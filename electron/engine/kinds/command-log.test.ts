/**
 * A command try's whole log (shared/log/phase-log.ts): real shell processes and a real
 * SQLite store. Saved however the try ends, with arrival times and order, escape codes
 * kept; the command line as the shell ran it; never on the emitted events.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PhaseLogEvent, RunEvent } from '../../../shared/events';
import type { LogStream } from '../../../shared/log/phase-log';
import { agentHarness, type AgentHarness } from '../../testing/agent-harness';

let h: AgentHarness;
afterEach(async () => h?.close());

const read = async (runId: string, phaseId: string, stream: LogStream, attempt = 1) => h.store.readLog(runId, phaseId, attempt, stream, { maxBytes: 1024 * 1024 });

describe('command phases: whole logs', () => {
  it('keeps stdout and stderr with times and their order, escape codes and the command line', async () => {
    h = await agentHarness();
    const before = Date.now();
    const outcome = await h.run(`
name: logs
inputs:
  who: { default: "it's me" }
phases:
  - id: build
    kind: command
    run: "printf '\\\\033[32mgreen\\\\033[0m\\\\n'; sleep 0.2; echo {{inputs.who}} >&2; sleep 0.2; echo done"
`);
    expect(outcome.status).toBe('succeeded');
    const stdout = await read(outcome.runId, 'build', 'stdout');
    const stderr = await read(outcome.runId, 'build', 'stderr');
    expect(stdout?.commandLine).toBe(`printf '\\033[32mgreen\\033[0m\\n'; sleep 0.2; echo 'it'\\''s me' >&2; sleep 0.2; echo done`);
    expect(stdout?.page.text).toBe('\u001b[32mgreen\u001b[0m\ndone\n');
    expect(stderr?.page.text).toBe("it's me\n");
    const [green, done] = stdout?.page.marks ?? [];
    const [err] = stderr?.page.marks ?? [];
    expect([green?.line, done?.line, err?.line]).toEqual([0, 1, 0]);
    expect((green?.order ?? 0) < (err?.order ?? 0) && (err?.order ?? 0) < (done?.order ?? 0)).toBe(true);
    expect(green?.at).toBeGreaterThanOrEqual(before);
    expect((done?.at ?? 0) - (green?.at ?? 0)).toBeGreaterThanOrEqual(300);
    // Live chunks carry their try and time; no emitted event carries the log.
    const live = h.events.filter((e): e is PhaseLogEvent => e.type === 'phase.log');
    expect(live.every((e) => e.attempt === 1 && typeof e.at === 'number')).toBe(true);
    expect(h.events.some((e: RunEvent) => 'log' in e)).toBe(false);
  });

  it('shows values passed as files the way the shell reads them', async () => {
    h = await agentHarness();
    const outcome = await h.run(`
name: files
phases:
  - { id: big, kind: command, run: "head -c 70000 /dev/zero | tr '\\\\0' x" }
  - { id: use, kind: command, depends_on: [big], run: "printf %s {{phases.big.output}} | wc -c" }
`);
    expect(outcome.status).toBe('succeeded');
    const log = await read(outcome.runId, 'use', 'stderr');
    expect(log?.commandLine).toMatch(/^printf %s "\$\(cat -- '\/[^']+\/WAYMARK_OUTPUT_BIG'\)" \| wc -c$/);
    expect(log?.page.text).toMatch(/^waymark: output of phase "big" is 68 KiB .*passed as a file/);
  });

  it('keeps what a try printed when it fails, times out or is cancelled; the quoted stderr line has no escape codes', async () => {
    h = await agentHarness();
    const failed = await h.run(`
name: fails
phases:
  - { id: test, kind: command, run: "echo 1 passed; printf '\\\\033[31mAssertionError\\\\033[0m\\\\n' >&2; exit 3" }
`);
    const [test] = await h.store.getPhases(failed.runId);
    expect(test?.error?.message).toBe('phase "test": command exited with code 3: AssertionError');
    expect((await read(failed.runId, 'test', 'stdout'))?.page.text).toBe('1 passed\n');
    expect((await read(failed.runId, 'test', 'stderr'))?.page.text).toBe('\u001b[31mAssertionError\u001b[0m\n');

    const timedOut = await h.run(`
name: slow
phases:
  - { id: wait, kind: command, timeout: 500ms, run: "echo started; exec sleep 30" }
`);
    const [wait] = await h.store.getPhases(timedOut.runId);
    expect(wait?.error?.code).toBe('PHASE_TIMEOUT');
    expect((await read(timedOut.runId, 'wait', 'stdout'))?.page.text).toBe('started\n');

    const { runId, done } = await h.start(`
name: cancel
phases:
  - { id: wait, kind: command, run: "echo waiting; exec sleep 30" }
`);
    await waitForLog(runId, 'waiting');
    h.engine.cancel(runId);
    expect((await done).status).toBe('cancelled');
    expect((await read(runId, 'wait', 'stdout'))?.page.text).toBe('waiting\n');
  });
});

/** Resolves once the phase printed `text` (live). */
function waitForLog(runId: string, text: string): Promise<void> {
  return new Promise((resolve) => {
    const seen = () => h.events.some((e) => e.type === 'phase.log' && e.runId === runId && e.text.includes(text));
    if (seen()) return resolve();
    const off = h.engine.onEvent(() => {
      if (!seen()) return;
      off();
      resolve();
    });
  });
}
