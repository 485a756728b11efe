import { describe, expect, it } from 'vitest';
import { mergeStreams, omissionText, shownText, streamLines } from './log-lines';
import { emptyStream, type LoadedStream } from './phase-log';

const loaded = (over: Partial<LoadedStream>): LoadedStream => ({ ...emptyStream(), ...over });

describe('a log as lines', () => {
  it('splits a stream into lines with the times of their marks', () => {
    const lines = streamLines('stdout', loaded({ text: 'a\nb\nc\n', marks: [{ line: 0, at: 5, order: 0 }, { line: 2, at: 9, order: 4 }] }));
    expect(lines.map((l) => [l.text, l.line, l.at, l.order])).toEqual([['a', 0, 5, 0], ['b', 1, 5, 0], ['c', 2, 9, 4]]);
    expect(streamLines('stdout', loaded({ text: 'no end' })).map((l) => l.text)).toEqual(['no end']);
    expect(streamLines('stdout', loaded({ text: '' }))).toEqual([]);
    expect(streamLines('stdout', loaded({ text: 'x\n' }))[0]).toMatchObject({ at: null, order: Number.POSITIVE_INFINITY });
  });

  it('puts the omitted middle of a stream over the cap where it was, as one line', () => {
    const omitted = { line: 1, bytes: 123_456, lines: 789 };
    const lines = streamLines('stderr', loaded({ text: 'head\ntail\n', omitted }));
    expect(lines.map((l) => [l.kind, l.text])).toEqual([['text', 'head'], ['omitted', omissionText(omitted)], ['text', 'tail']]);
    expect(omissionText(omitted)).toBe('… 123,456 bytes (789 lines) omitted: the log kept its first and last 8 MiB …');
    // A page that starts at the tail, with the head not loaded: no marker (the view says what is not loaded).
    expect(streamLines('stderr', loaded({ text: 'tail\n', firstLine: 1, omitted, bytesBefore: 5 })).map((l) => l.kind)).toEqual(['text']);
  });

  it('interleaves both streams in the order they were written', () => {
    const out = streamLines('stdout', loaded({ text: 'o1\no2\no3\n', marks: [{ line: 0, at: 1, order: 0 }, { line: 2, at: 3, order: 2 }] }));
    const err = streamLines('stderr', loaded({ text: 'e1\n', marks: [{ line: 0, at: 2, order: 1 }] }));
    expect(mergeStreams(out, err).map((l) => l.text)).toEqual(['o1', 'o2', 'e1', 'o3']);
  });

  it('shows what a terminal shows of a line rewritten with carriage returns', () => {
    expect(shownText('10%\r50%\r100%')).toBe('100%');
    expect(shownText('windows line\r')).toBe('windows line');
  });
});
