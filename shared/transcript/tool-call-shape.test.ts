import { describe, expect, it } from 'vitest';
import { contentSize, restText, toolCallShape } from './tool-call-shape';

describe('how a tool call reads', () => {
  it('a file written is a file: its path and content', () => {
    expect(toolCallShape({ path: 'src/a.py', content: 'print("hi")\n' }, '{}')).toEqual({ kind: 'file', path: 'src/a.py', content: 'print("hi")\n', rest: {} });
    expect(contentSize('a\nb\n')).toBe('2 lines · 4 bytes');
    expect(contentSize('x'.repeat(2048))).toBe('1 line · 2.0 KiB');
  });

  it('a command is a command line; a call about a path is that path and its other arguments', () => {
    expect(toolCallShape({ command: 'pytest -q', timeout_seconds: 30 }, '{}')).toEqual({ kind: 'command', command: 'pytest -q', rest: { timeout_seconds: 30 } });
    const path = toolCallShape({ path: 'src', recursive: true }, '{}');
    expect(path).toEqual({ kind: 'path', path: 'src', rest: { recursive: true } });
    expect(restText({ recursive: true, name: 'x' })).toBe('recursive: true, name: "x"');
  });

  it('anything else stays JSON', () => {
    expect(toolCallShape({ query: 'x', filters: { a: 1 } }, 'J')).toEqual({ kind: 'json', json: 'J' });
    expect(toolCallShape({ path: 'p', nested: { a: 1 } }, 'J')).toEqual({ kind: 'json', json: 'J' });
    expect(toolCallShape('just text', 'J')).toEqual({ kind: 'json', json: 'J' });
  });
});
