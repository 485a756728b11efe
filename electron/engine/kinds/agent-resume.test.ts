import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agentHarness, type AgentHarness } from '../../testing/agent-harness';
import { callTool, hang, httpError, say } from '../../testing/fake-llm-script';
import { waitFor } from '../../testing/temp-dir';

let h: AgentHarness;
afterEach(async () => h?.close());

type Message = { role: string; content: unknown };
const body = (i: number) => h.llm.modelRequests[i]?.body as { messages: Message[]; tools?: unknown };
const systemOf = (i: number) => String(body(i).messages[0]?.content);
const NOTICE = 'this is a re-run';

/** Starts a run and interrupts it (graceful shutdown) once `requests` model calls arrived. */
async function interruptAfter(yaml: string, requests: number, also: () => boolean = () => true) {
  const handle = await h.start(yaml);
  await waitFor(() => h.llm.modelRequests.length >= requests && also(), 10_000, `${requests} model requests`);
  await h.engine.shutdown();
  const outcome = await handle.done;
  expect(outcome.status).toBe('interrupted');
  return outcome.runId;
}

const THREE = `
defaults: { model: "openai:gpt-test" }
phases:
  - { id: p1, kind: agent, prompt: "one" }
  - { id: p2, kind: agent, depends_on: [p1], prompt: "two after {{phases.p1.output}}" }
  - { id: p3, kind: agent, depends_on: [p1, p2], prompt: "three with {{phases.p1.output}} and {{phases.p2.output}}" }
`;

describe('resuming agent flows', () => {
  it('re-runs only the failed phase 3, fed with the saved outputs of phases 1-2, with the notice and previous error', async () => {
    h = await agentHarness({ script: [say('alpha-out'), say('beta-out'), httpError(400, { body: { error: { message: 'prompt is too long' } } })] });
    const first = await h.run(THREE);
    expect(first.status).toBe('failed');
    expect(first.error?.code).toBe('PROVIDER_ERROR');
    expect(first.error?.message).toBe('phase "p3": openai returned HTTP 400: prompt is too long');

    h.llm.enqueue(say('gamma-out'));
    const second = await h.resume(first.runId);
    expect(second.status).toBe('succeeded');
    expect(h.llm.modelRequests).toHaveLength(4); // p1, p2, p3 (400), then only p3 again
    expect(body(3).messages[1]?.content).toBe('three with alpha-out and beta-out');
    expect(systemOf(3)).toContain(NOTICE);
    expect(systemOf(3)).toContain('reconcile');
    expect(systemOf(3)).toContain('The previous attempt failed with: phase "p3": openai returned HTTP 400: prompt is too long');
    expect((await h.store.getPhases(first.runId)).map((p) => [p.phaseId, p.attempts, p.output])).toEqual([
      ['p1', 1, 'alpha-out'],
      ['p2', 1, 'beta-out'],
      ['p3', 2, 'gamma-out'],
    ]);
  });

  it('gives the notice to frontier phases only', async () => {
    h = await agentHarness({ script: [say('a-out'), httpError(400)] });
    const first = await h.run(THREE);
    expect(first.status).toBe('failed');
    h.llm.enqueue(say('b-out'), say('c-out'));
    expect((await h.resume(first.runId)).status).toBe('succeeded');
    expect(systemOf(0)).not.toContain(NOTICE); // first attempt
    expect(systemOf(2)).toContain(NOTICE); // p2: the frontier
    expect(systemOf(2)).toContain('previous attempt failed with');
    expect(systemOf(3)).not.toContain(NOTICE); // p3: not on the frontier
  });

  it('gives an interrupted phase the notice without an error', async () => {
    h = await agentHarness({ script: [hang()] });
    const runId = await interruptAfter(THREE, 1);
    h.llm.enqueue(say('a'), say('b'), say('c'));
    expect((await h.resume(runId)).status).toBe('succeeded');
    expect(systemOf(1)).toContain(NOTICE);
    expect(systemOf(1)).not.toContain('failed with');
    expect(systemOf(2)).not.toContain(NOTICE);
  });
});

const TOOLS = `
defaults: { model: "openai:gpt-test" }
phases:
  - id: work
    kind: agent
    prompt: "do the work"
    tools: [read_file, write_file, run_command]
`;
const marks = () => (existsSync(join(h.dir.path, 'marks.txt')) ? readFileSync(join(h.dir.path, 'marks.txt'), 'utf8') : '');

describe('mid-phase continuation', () => {
  it('continues an interrupted conversation with exactly the saved history, without re-running completed tools', async () => {
    h = await agentHarness({ script: [callTool('run_command', { command: 'echo ran >> marks.txt' }), callTool('write_file', { path: 'notes.md', content: 'draft' }), hang('thinking...')] });
    const runId = await interruptAfter(TOOLS, 3);
    h.llm.enqueue(say('all done'));
    const outcome = await h.resume(runId);
    expect(outcome.status).toBe('succeeded');
    expect((await h.store.getPhases(runId))[0]?.output).toBe('all done');
    expect(h.llm.modelRequests).toHaveLength(4);
    expect(body(3).messages).toEqual(body(2).messages); // exactly the saved history
    expect(body(3).tools).toEqual(body(2).tools);
    expect(systemOf(3)).not.toContain(NOTICE);
    expect(marks()).toBe('ran\n'); // the completed command did not run again
    const roles = (await h.transcript(runId, 'work')).map((e) => e.role);
    expect(roles).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'tool', 'notice', 'assistant']);
    expect((await h.transcript(runId, 'work'))[6]?.content).toMatchObject({ kind: 'continued' });
  });

  it('never re-runs a run_command that was interrupted; the model is told its effects are unknown', async () => {
    h = await agentHarness({ script: [callTool('run_command', { command: 'echo started >> marks.txt; sleep 30; echo finished >> marks.txt' })] });
    const runId = await interruptAfter(TOOLS, 1, () => marks() === 'started\n');
    h.llm.enqueue(say('checked'));
    expect((await h.resume(runId)).status).toBe('succeeded');
    expect(marks()).toBe('started\n');
    const last = body(1).messages.at(-1);
    expect(last?.role).toBe('tool');
    expect(String(last?.content)).toContain('interrupted');
    expect(String(last?.content)).toContain('effects are unknown');
    expect(body(1).messages.slice(0, -1)).toEqual(body(0).messages.concat(body(1).messages.slice(-2, -1)));
  });

  it('continues after a transient failure that exhausted its retries', async () => {
    h = await agentHarness({ script: [callTool('write_file', { path: 'a.txt', content: '1' }), httpError(503), httpError(503), httpError(503)] });
    const first = await h.run(TOOLS);
    expect(first.error?.code).toBe('PROVIDER_TRANSIENT');
    expect(first.error?.message).toContain('after 3 tries');
    h.llm.enqueue(say('recovered'));
    expect((await h.resume(first.runId)).status).toBe('succeeded');
    expect(h.llm.modelRequests).toHaveLength(5);
    expect(body(4).messages).toEqual(body(1).messages);
  });

  it('starts over with --restart-phase, appending after the saved entries', async () => {
    h = await agentHarness({ script: [callTool('write_file', { path: 'a.txt', content: '1' }), hang()] });
    const runId = await interruptAfter(TOOLS, 2);
    h.llm.enqueue(say('fresh'));
    expect((await h.resume(runId, 'work')).status).toBe('succeeded');
    expect(body(2).messages.map((m) => m.role)).toEqual(['system', 'user']);
    const entries = await h.transcript(runId, 'work');
    expect(entries.map((e) => e.index)).toEqual(entries.map((_, i) => i));
    expect(entries.map((e) => e.role).slice(4)).toEqual(['system', 'user', 'assistant']);
  });

  it('starts over when the previous try ran out of steps', async () => {
    h = await agentHarness({ script: [callTool('read_file', { path: 'x' }), callTool('read_file', { path: 'y' })] });
    const yaml = TOOLS.replace('tools:', 'max_steps: 2\n    tools:');
    const first = await h.run(yaml);
    expect(first.error?.code).toBe('STEP_BUDGET_EXHAUSTED');
    h.llm.enqueue(say('short answer'));
    expect((await h.resume(first.runId)).status).toBe('succeeded');
    expect(body(2).messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(systemOf(2)).toContain('The previous attempt failed with: phase "work": used all 2 of max_steps 2');
    const notices = (await h.transcript(first.runId, 'work')).filter((e) => e.role === 'notice').map((e) => (e.content as { kind: string }).kind);
    expect(notices).toEqual(['failed', 'restarted']);
  });

  it('keeps transcript indexes growing across retries of the phase within one run', async () => {
    h = await agentHarness({ script: [callTool('read_file', { path: 'x' }), httpError(400), say('second try')] });
    const outcome = await h.run(TOOLS.replace('tools:', 'retry: { attempts: 2, delay: 10ms }\n    tools:'));
    expect(outcome.status).toBe('succeeded');
    const entries = await h.transcript(outcome.runId, 'work');
    expect(entries.map((e) => e.index)).toEqual(entries.map((_, i) => i));
    expect(entries.map((e) => e.attempt)).toContain(2);
    // A PROVIDER_ERROR keeps the conversation: the retry continues it.
    expect(body(2).messages).toEqual(body(1).messages);
  });
});
