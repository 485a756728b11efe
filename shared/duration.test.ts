import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    [30, 30_000],
    [0.5, 500],
    [0, 0],
    ['45', 45_000],
    ['1.5', 1_500],
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['2m30s', 150_000],
    ['1.5h', 5_400_000],
    ['1s500ms', 1_500],
    ['  10s ', 10_000],
  ] as const)('%j → %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY, '', '   ', 'soon', '-5s', '5 s', '5S', '1d', 's', '1h 30m', '1.2.3s', '10x'])('rejects %j', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [999.4, '999ms'],
    [999.6, '1.0s'],
    [1_000, '1.0s'],
    [12_345, '12.3s'],
    [59_949, '59.9s'],
    [59_950, '1m00s'],
    [61_000, '1m01s'],
    [119_500, '2m00s'],
    [3_599_400, '59m59s'],
    [3_599_999, '1h00m'],
    [5_400_000, '1h30m'],
    [26 * 3_600_000, '26h00m'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('never shows 60 in a seconds or minutes field', () => {
    const around = (center: number) => Array.from({ length: 400 }, (_, i) => center - 10_000 + i * 50);
    for (const ms of [...around(60_000), ...around(120_000), ...around(3_600_000)]) expect(formatDuration(ms)).not.toMatch(/(^|[hm])60[sm]|^60\.0s/);
  });
});
