import { describe, expect, it } from 'vitest';
import { appendChunk, newLiveLog } from './live-log';

describe('a live log', () => {
  it('marks the lines that start in each chunk with its time and order across both streams', () => {
    let log = newLiveLog(2);
    log = appendChunk(log, 'stdout', 'one\ntw', 10);
    log = appendChunk(log, 'stderr', 'err\n', 11);
    log = appendChunk(log, 'stdout', 'o\n', 12); // ends line 1: nothing starts here
    log = appendChunk(log, 'stdout', 'three\n', 13);
    expect(log.stdout.loaded).toMatchObject({ text: 'one\ntwo\nthree\n', firstLine: 0, marks: [{ line: 0, at: 10, order: 0 }, { line: 2, at: 13, order: 3 }] }); // line 1 started in the first chunk too
    expect(log.stderr.loaded.marks).toEqual([{ line: 0, at: 11, order: 1 }]);
    expect([log.attempt, log.order]).toEqual([2, 4]);
  });

  it('drops its oldest lines past the limit, keeping the line numbers and the mark in force', () => {
    let log = newLiveLog(1);
    for (let i = 0; i < 100; i += 1) log = appendChunk(log, 'stdout', `line ${String(i).padStart(3, '0')}\n`, 1000 + i, 200);
    const { loaded } = log.stdout;
    expect(loaded.text.length).toBeLessThanOrEqual(200);
    expect(loaded.text.endsWith('line 099\n')).toBe(true);
    const first = Number(loaded.text.slice(5, 8));
    expect(loaded.firstLine).toBe(first);
    expect(loaded.marks[0]).toEqual({ line: first, at: 1000 + first, order: first });
    expect(loaded.bytesBefore).toBe(first * 9);
  });
});
