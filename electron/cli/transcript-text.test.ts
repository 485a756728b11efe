import { describe, expect, it } from 'vitest';
import type { TranscriptEntry } from '../../shared/records';
import { transcriptLines } from './transcript-text';

const entry = (index: number, attempt: number, role: TranscriptEntry['role'], content: unknown, usage: TranscriptEntry['usage'] = null): TranscriptEntry => ({
  phaseId: 'code', index, attempt, role, content, usage, at: Date.UTC(2026, 0, 1, 12, 0, index),
});

describe('an agent transcript on the command line', () => {
  it('groups entries by try and shows roles, text, tool calls as what they do and tool results', () => {
    const lines = transcriptLines([
      entry(0, 1, 'system', { role: 'system', content: 'You write code.' }),
      entry(1, 1, 'assistant', { role: 'assistant', content: [{ type: 'text', text: 'Writing it.' }, { type: 'tool-call', toolCallId: 'c1', toolName: 'write_file', input: { path: 'a.py', content: 'print(1)\nprint(2)\n' } }] }, { inputTokens: 1200, outputTokens: 300, costUsd: 0.0021 }),
      entry(2, 1, 'tool', { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', toolName: 'write_file', output: { type: 'text', value: 'wrote 2 lines' } }] }),
      entry(3, 1, 'notice', { kind: 'failed', message: 'the model failed', code: 'PROVIDER_ERROR' }),
      entry(4, 2, 'assistant', { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c2', toolName: 'run_command', input: { command: 'pytest -q' } }] }),
      entry(5, 2, 'tool', { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c2', toolName: 'run_command', output: { type: 'error-text', value: 'exit 1' } }] }),
    ]);
    const text = lines.join('\n');
    expect(lines[0]).toBe('── try 1 ──');
    expect(text).toContain('  You write code.');
    expect(text).toMatch(/\[assistant · .* · 1\.2k in · 300 out · \$0\.0021\]\n {2}Writing it\.\n {2}→ write_file a\.py · 2 lines · 18 bytes\n {4}│ print\(1\)\n {4}│ print\(2\)/);
    expect(text).toContain('← write_file:\n    wrote 2 lines');
    expect(text).toContain('[note · ');
    expect(text).toContain('  the model failed\n');
    expect(text).not.toContain('PROVIDER_ERROR'); // codes are for --json and logs
    expect(text).toContain('── try 2 ──');
    expect(text).toContain('→ run_command $ pytest -q');
    expect(text).toContain('← run_command failed:\n    exit 1');
    expect(text.indexOf('── try 2 ──')).toBeGreaterThan(text.indexOf('the model failed'));
    expect(transcriptLines([])).toEqual([]);
  });
});
