import { describe, expect, it } from 'vitest';
import { decodeMarks, encodeMarks } from './marks-codec';

describe('stored marks', () => {
  it('round-trip as small differences', () => {
    const marks = [{ line: 0, at: 1_700_000_000_000, order: 0 }, { line: 4, at: 1_700_000_000_015, order: 3 }, { line: 9, at: 1_700_000_001_000, order: 7 }];
    const text = encodeMarks(marks);
    expect(text).toBe('[0,1700000000000,0,4,15,3,5,985,4]');
    expect(decodeMarks(text)).toEqual(marks);
    expect(decodeMarks(encodeMarks([]))).toEqual([]);
  });

  it('read damaged text as no marks', () => {
    for (const bad of ['', null, 'not json', '[1,2]', '{"a":1}', '[1,2,"x"]', '[1.5,2,3]']) expect(decodeMarks(bad)).toEqual([]);
  });
});
