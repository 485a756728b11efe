import { describe, expect, it } from 'vitest';
import { transcriptParts } from './transcript-parts';

describe('transcriptParts', () => {
  it('reads plain text and { text }', () => {
    expect(transcriptParts('hello')).toEqual([{ kind: 'text', text: 'hello' }]);
    expect(transcriptParts({ text: 'hi' })).toEqual([{ kind: 'text', text: 'hi' }]);
    expect(transcriptParts(null)).toEqual([]);
  });

  it('reads a message with text and tool-call parts, arguments included', () => {
    const parts = transcriptParts({
      role: 'assistant',
      content: [
        { type: 'text', text: 'Let me look.' },
        { type: 'tool-call', toolCallId: 't1', toolName: 'read_file', input: { path: 'a.txt' } },
      ],
    });
    expect(parts[0]).toEqual({ kind: 'text', text: 'Let me look.' });
    expect(parts[1]).toMatchObject({ kind: 'tool-call', name: 'read_file', id: 't1' });
    expect(parts[1]?.kind === 'tool-call' && JSON.parse(parts[1].args)).toEqual({ path: 'a.txt' });
  });

  it('reads tool results, including AI SDK output objects and errors', () => {
    expect(transcriptParts({ role: 'tool', content: [{ type: 'tool-result', toolName: 'read_file', output: { type: 'text', value: 'file body' } }] })).toEqual([
      { kind: 'tool-result', name: 'read_file', result: 'file body', isError: false },
    ]);
    expect(transcriptParts([{ type: 'tool-result', toolName: 'write_file', output: { type: 'error-text', value: 'outside the workspace' } }])[0]).toMatchObject({ isError: true, result: 'outside the workspace' });
  });

  it('reads notices', () => {
    expect(transcriptParts({ kind: 'retry', message: 'HTTP 503, trying again in 1s' })).toEqual([{ kind: 'text', text: 'HTTP 503, trying again in 1s' }]);
    expect(transcriptParts({ kind: 'failed', message: 'gave up', code: 'PROVIDER_ERROR' })).toEqual([{ kind: 'text', text: 'gave up' }]);
  });

  it('shows anything else as JSON', () => {
    expect(transcriptParts([{ weird: 1 }])[0]).toEqual({ kind: 'json', json: '{\n  "weird": 1\n}' });
    expect(transcriptParts(42)).toEqual([{ kind: 'json', json: '42' }]);
  });
});
