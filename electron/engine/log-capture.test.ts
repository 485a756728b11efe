import { describe, expect, it } from 'vitest';
import { TryLogCapture } from './log-capture';

const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `line ${String(from + i).padStart(2, '0')}\n`);

describe('TryLogCapture', () => {
  it('keeps small streams whole, with a mark where lines start', () => {
    const capture = new TryLogCapture();
    capture.write('stdout', 'a\nb', 1);
    capture.write('stdout', 'c\n', 2); // continues line 1 and ends it: no line starts here
    capture.write('stdout', 'd\n', 3);
    capture.write('stderr', 'oops\n', 4);
    const log = capture.finish('echo hi');
    expect(log.commandLine).toBe('echo hi');
    expect(log.stdout).toEqual({ text: 'a\nbc\nd\n', totalBytes: 7, omitted: null, marks: [{ line: 0, at: 1, order: 0 }, { line: 2, at: 3, order: 2 }] });
    expect(log.stderr).toEqual({ text: 'oops\n', totalBytes: 5, omitted: null, marks: [{ line: 0, at: 4, order: 3 }] });
  });

  it('merges marks of the same millisecond unless the other stream wrote in between', () => {
    const capture = new TryLogCapture();
    capture.write('stdout', 'one\n', 10);
    capture.write('stdout', 'two\n', 10);
    capture.write('stderr', 'err\n', 10);
    capture.write('stdout', 'three\n', 10);
    capture.write('stdout', 'four\n', 11);
    expect(capture.finish(null).stdout.marks).toEqual([
      { line: 0, at: 10, order: 0 },
      { line: 2, at: 10, order: 3 },
      { line: 3, at: 11, order: 4 },
    ]);
  });

  it('over the cap keeps the first and last halves at line ends, with what was left out', () => {
    const capture = new TryLogCapture(64);
    lines(0, 20).forEach((text, i) => capture.write('stdout', text, 100 + i));
    const { stdout } = capture.finish(null);
    expect(stdout.text).toBe([...lines(0, 4), ...lines(16, 20)].join(''));
    expect(stdout.totalBytes).toBe(160);
    expect(stdout.omitted).toEqual({ line: 4, bytes: 96, lines: 12 });
    expect(stdout.marks.map((m) => [m.line, m.at])).toEqual([
      [0, 100], [1, 101], [2, 102], [3, 103],
      [4, 116], [5, 117], [6, 118], [7, 119],
    ]);
  });

  it('cuts inside lines back to line ends, counting the cut parts as omitted', () => {
    const capture = new TryLogCapture(40); // 20 bytes kept at each end
    const text = 'aaaaaaaaaaaaaaa\nbbbbbbbbbbbbbbb\ncccccccccccccccc\nddddddddddddddd\neeeeeeeeeeeeeee\n';
    capture.write('stdout', text, 5);
    const { stdout } = capture.finish(null);
    expect(stdout.text).toBe('aaaaaaaaaaaaaaa\neeeeeeeeeeeeeee\n');
    expect(stdout.omitted).toEqual({ line: 1, bytes: text.length - 32, lines: 3 });
    expect(stdout.marks).toEqual([{ line: 0, at: 5, order: 0 }, { line: 1, at: 5, order: 0 }]);
  });

  it('a line longer than the cap is cut in the middle, never inside a character', () => {
    const capture = new TryLogCapture(16);
    for (let i = 0; i < 10; i += 1) capture.write('stdout', 'ééééé', i); // 10 bytes a chunk
    const { stdout } = capture.finish(null);
    expect(stdout.text).toBe('éééé\néééé');
    expect(stdout.text).not.toContain('\uFFFD');
    expect(stdout.omitted).toEqual({ line: 1, bytes: 100 - 16, lines: 0 });
    expect(stdout.marks).toEqual([{ line: 0, at: 0, order: 0 }, { line: 1, at: 0, order: 0 }]);
  });

  it('keeps NUL bytes and replacement characters as text', () => {
    const capture = new TryLogCapture();
    capture.write('stdout', 'a\u0000b\uFFFD\n', 1);
    expect(capture.finish(null).stdout).toMatchObject({ text: 'a\u0000b\uFFFD\n', totalBytes: 7 });
  });

  it('keeps memory bounded: marks of the dropped middle are pruned as it goes', () => {
    const capture = new TryLogCapture(1024);
    for (let i = 0; i < 100_000; i += 1) capture.write(i % 2 === 0 ? 'stdout' : 'stderr', `${i}\n`, i);
    const { stdout, stderr } = capture.finish(null);
    expect(stdout.text.endsWith('99998\n')).toBe(true);
    expect(stderr.text.endsWith('99999\n')).toBe(true);
    const stdoutLines = stdout.text.split('\n').length - 1;
    expect(stdout.marks).toHaveLength(stdoutLines);
    expect(stdout.marks[stdout.marks.length - 1]).toEqual({ line: stdoutLines - 1, at: 99_998, order: 99_998 });
    expect(stdout.omitted?.lines).toBe(50_000 - stdoutLines);
  });
});
