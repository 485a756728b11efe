import { describe, expect, it } from 'vitest';
import type { TranscriptEntry } from '../../../shared/records';
import { entryDurations, toolCallsById } from './transcript-timing';

const entry = (index: number, role: TranscriptEntry['role'], at: number, attempt = 1, content: unknown = 'x'): TranscriptEntry => ({ phaseId: 'p', index, attempt, role, content, usage: null, at });

describe('transcript timing', () => {
  it('an entry took the time since the one before it in the same try', () => {
    const entries = [entry(0, 'system', 100), entry(1, 'user', 100), entry(2, 'assistant', 3_300), entry(3, 'tool', 3_420), entry(4, 'notice', 5_000), entry(5, 'assistant', 90_000, 2), entry(7, 'tool', 91_000, 2)];
    // system/user take no time; a new try, or an entry not loaded before it, leaves it unknown.
    expect(entryDurations(entries)).toEqual([null, null, 3_200, 120, 1_580, null, null]);
  });

  it('finds the call a tool result answers', () => {
    const call = { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'read_file', input: { path: 'a.md' } }] };
    expect(toolCallsById([entry(0, 'assistant', 1, 1, call)]).get('c1')).toEqual({ name: 'read_file', input: { path: 'a.md' } });
  });
});
