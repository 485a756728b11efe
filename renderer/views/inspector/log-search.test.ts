import { describe, expect, it } from 'vitest';
import { findMatches, markSpans } from './log-search';

describe('search in a log', () => {
  it('finds every match, case-insensitive, the query taken literally', () => {
    expect(findMatches(['Error: a', 'no', 'error error', 'a.b (c)'], 'error')).toEqual([
      { line: 0, start: 0, end: 5 },
      { line: 2, start: 0, end: 5 },
      { line: 2, start: 6, end: 11 },
    ]);
    expect(findMatches(['a.b (c)', 'axb'], '.b (')).toEqual([{ line: 0, start: 1, end: 5 }]);
    expect(findMatches(['x'], '')).toEqual([]);
    expect(findMatches(['aaaa'], 'a', 3)).toHaveLength(3);
  });

  it('cuts styled runs where matches start and end', () => {
    const spans = [{ text: 'red ', fg: 'red' }, { text: 'plain text' }];
    expect(markSpans(spans, [{ start: 2, end: 6, current: true }, { start: 9, end: 11, current: false }])).toEqual([
      { text: 're', fg: 'red' },
      { text: 'd ', fg: 'red', mark: 'current' },
      { text: 'pl', mark: 'current' },
      { text: 'ain', },
      { text: ' t', mark: 'match' },
      { text: 'ext' },
    ]);
    expect(markSpans(spans, [])).toEqual(spans);
  });
});
