import type { ModelMessage } from 'ai';
import { describe, expect, it } from 'vitest';
import type { TranscriptEntry } from '../../../shared/records';
import { failedCallCounts, finalAnswer, pendingToolCalls, readConversation, toolResultMessage } from './agent-messages';
import { planStart } from './agent-start';

const call = (id: string, toolName: string, input: unknown = {}) => ({ type: 'tool-call' as const, toolCallId: id, toolName, input });
const assistant = (...content: ({ type: 'text'; text: string } | ReturnType<typeof call>)[]): ModelMessage => ({ role: 'assistant', content });
let n = 0;
const entry = (role: TranscriptEntry['role'], content: unknown): TranscriptEntry => ({ phaseId: 'p', index: n++, attempt: 1, role, content, usage: null, at: 0 });
const conversation = (...messages: ModelMessage[]) => [entry('system', { role: 'system', content: 'sys' }), ...messages.map((m) => entry(m.role, m))];
const user: ModelMessage = { role: 'user', content: 'the prompt' };

describe('reading a saved conversation', () => {
  it('returns the messages without notices, and counts steps', () => {
    const entries = conversation(user, assistant(call('1', 'read_file')), toolResultMessage(call('1', 'read_file'), true, 'x'));
    entries.splice(2, 0, entry('notice', { kind: 'retry', message: 'retrying' }));
    const saved = readConversation(entries);
    expect(saved?.system).toBe('sys');
    expect(saved?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    expect(saved?.steps).toBe(1);
    expect(saved?.failure).toBeUndefined();
  });

  it('remembers a failure only when it is the last thing that happened', () => {
    const failed = entry('notice', { kind: 'failed', message: 'x', code: 'TOOL_FAILED' });
    expect(readConversation([...conversation(user, assistant({ type: 'text', text: 'a' })), failed])?.failure?.code).toBe('TOOL_FAILED');
    const continued = entry('notice', { kind: 'continued', message: 'y' });
    expect(readConversation([...conversation(user, assistant({ type: 'text', text: 'a' })), failed, continued])?.failure).toBeUndefined();
  });

  it('rejects entries that are not a conversation', () => {
    expect(readConversation([entry('user', user)])).toBeUndefined();
    expect(readConversation([entry('system', 'not a message'), entry('user', user)])).toBeUndefined();
    expect(readConversation(conversation(assistant({ type: 'text', text: 'no user first' })))).toBeUndefined();
  });

  it('finds tool calls without results and final answers', () => {
    const messages: ModelMessage[] = [user, assistant(call('a', 'run_command'), call('b', 'read_file')), toolResultMessage(call('a', 'run_command'), true, 'ok')];
    expect(pendingToolCalls(messages).map((c) => c.toolCallId)).toEqual(['b']);
    expect(finalAnswer(messages)).toBeUndefined();
    expect(finalAnswer([user, assistant({ type: 'text', text: 'done' })])).toBe('done');
    expect(pendingToolCalls([user])).toEqual([]);
  });

  it('counts failed calls by tool and canonical arguments', () => {
    const messages: ModelMessage[] = [
      user,
      assistant(call('1', 'read_file', { path: 'a', x: 1 })),
      toolResultMessage(call('1', 'read_file'), false, 'missing'),
      assistant(call('2', 'read_file', { x: 1, path: 'a' })),
      toolResultMessage(call('2', 'read_file'), false, 'missing'),
      assistant(call('3', 'read_file', { path: 'a', x: 1 })),
      toolResultMessage(call('3', 'read_file'), true, 'found'),
    ];
    expect([...failedCallCounts(messages).values()]).toEqual([2]);
  });
});

describe('continue or start fresh', () => {
  const progressed = conversation(user, assistant(call('1', 'read_file')), toolResultMessage(call('1', 'read_file'), true, 'x'));
  const at = (entries: TranscriptEntry[]) => ({ continueFrom: entries, nextIndex: 99 });

  it('continues a conversation that made progress with the same prompt', () => {
    expect(planStart(at(progressed), 'the prompt').mode).toBe('continue');
  });
  it('starts fresh when nothing was saved, or only the prompt', () => {
    expect(planStart(at([]), 'the prompt')).toEqual({ mode: 'fresh' });
    expect(planStart(at(conversation(user)), 'the prompt')).toEqual({ mode: 'fresh' });
  });
  it('starts fresh, saying why, when the prompt changed or the last try failed for good', () => {
    expect(planStart(at(progressed), 'another prompt')).toMatchObject({ mode: 'fresh', reason: expect.stringContaining('prompt changed') });
    const failed = [...progressed, entry('notice', { kind: 'failed', message: 'x', code: 'STEP_BUDGET_EXHAUSTED' })];
    expect(planStart(at(failed), 'the prompt')).toMatchObject({ mode: 'fresh', reason: expect.stringContaining('STEP_BUDGET_EXHAUSTED') });
    const transient = [...progressed, entry('notice', { kind: 'failed', message: 'x', code: 'PROVIDER_TRANSIENT' })];
    expect(planStart(at(transient), 'the prompt').mode).toBe('continue');
  });
});
