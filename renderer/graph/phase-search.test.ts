import { describe, expect, it } from 'vitest';
import { isPhaseMatch, matchPhases, queryWords, stepMatch } from './phase-search';

const ids = ['fetch', 'build-api', 'test-api', 'api', 'build-web', 'API_docs', 'deploy'];

describe('matchPhases', () => {
  it('matches ids containing the query, case-insensitively, best first: exact, prefix, then the rest in order', () => {
    expect(matchPhases(ids, 'api')).toEqual(['api', 'API_docs', 'build-api', 'test-api']);
    expect(matchPhases(ids, 'BUILD')).toEqual(['build-api', 'build-web']);
  });

  it('needs every word of the query, in any order', () => {
    expect(matchPhases(ids, ' api  build ')).toEqual(['build-api']);
    expect(matchPhases(ids, 'web api')).toEqual([]);
  });

  it('matches nothing for a blank query or an unknown id', () => {
    expect(matchPhases(ids, '   ')).toEqual([]);
    expect(matchPhases(ids, 'nope')).toEqual([]);
    expect(queryWords('  a  B ')).toEqual(['a', 'b']);
  });

  it('isPhaseMatch agrees with matchPhases', () => {
    for (const q of ['api', 'build api', 'x', '', 'DEP']) expect(ids.filter((id) => isPhaseMatch(id, q)).sort()).toEqual(matchPhases(ids, q).sort());
  });

  it('finds one phase among 500 quickly', () => {
    const many = Array.from({ length: 500 }, (_, i) => `stage-${Math.floor(i / 10)}-step-${i % 10}`);
    const t0 = performance.now();
    for (let i = 0; i < 100; i++) matchPhases(many, 'stage-42-step-7');
    expect(matchPhases(many, 'stage-42-step-7')).toEqual(['stage-42-step-7']);
    expect(performance.now() - t0).toBeLessThan(200);
  });
});

describe('stepMatch', () => {
  const matches = ['a', 'b', 'c'];
  it('walks forward and back, wrapping around', () => {
    expect(stepMatch(matches, 'a', 1)).toBe('b');
    expect(stepMatch(matches, 'c', 1)).toBe('a');
    expect(stepMatch(matches, 'a', -1)).toBe('c');
    expect(stepMatch(matches, 'b', -1)).toBe('a');
  });

  it('starts at the first match (or, going back, the last) when the selection is not a match', () => {
    expect(stepMatch(matches, null, 1)).toBe('a');
    expect(stepMatch(matches, 'zzz', 1)).toBe('a');
    expect(stepMatch(matches, 'zzz', -1)).toBe('c');
    expect(stepMatch([], 'a', 1)).toBeNull();
    expect(stepMatch(['only'], 'only', 1)).toBe('only');
  });
});
