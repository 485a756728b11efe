import { describe, expect, it } from 'vitest';
import { emptyStream, type LoadedStream } from '../../../shared/log/phase-log';
import { clockOf, filterLines, gutterTimes, logFileText, logLinesOf, statesOf } from './log-view-model';

const loaded = (text: string, at: number, order: number): LoadedStream => ({ ...emptyStream(), text, marks: [{ line: 0, at, order }] });
const noon = new Date(2024, 4, 1, 12, 0, 0).getTime();

describe('what a log view draws', () => {
  const stdout = loaded('\u001b[32mgreen\nstill green\u001b[0m\nplain\n', noon, 0);
  const stderr = loaded('\u001b[31merr\n', noon + 1500, 1);
  const lines = logLinesOf(stdout, stderr);

  it('interleaves the streams and filters them', () => {
    expect(lines.map((l) => `${l.stream}:${l.text}`)).toEqual(['stdout:\u001b[32mgreen', 'stdout:still green\u001b[0m', 'stdout:plain', 'stderr:\u001b[31merr']);
    expect(filterLines(lines, 'stderr').map((l) => l.stream)).toEqual(['stderr']);
  });

  it('carries colours within a stream, never into the other one', () => {
    const states = statesOf([...lines.slice(0, 1), ...lines.slice(3), ...lines.slice(1, 3)]);
    expect(states).toEqual(['', '', '\u001b[32m', '']);
  });

  it('shows every line’s time, marking those of the same second as the line above', () => {
    expect(gutterTimes(lines)).toEqual([
      { text: '12:00:00', same: false },
      { text: '12:00:00', same: true },
      { text: '12:00:00', same: true },
      { text: '12:00:01', same: false },
    ]);
    expect(gutterTimes(logLinesOf({ ...emptyStream(), text: 'x\n' }, emptyStream()))).toEqual([null]);
    expect(clockOf(new Date(2024, 0, 2, 3, 4, 5).getTime())).toBe('03:04:05');
  });

  it('downloads the lines as plain text under the command line', () => {
    expect(logFileText("make 'all'", lines)).toBe("$ make 'all'\ngreen\nstill green\nplain\nerr\n");
    expect(logFileText(null, [])).toBe('');
  });
});
