import { describe, expect, it } from 'vitest';
import { PHASE_STATUSES, type PhaseStatus } from '../../shared/status';
import { countStatuses, filterPhases, FILTER_STATUSES } from './phase-filter';

const phases: Record<string, { status: PhaseStatus }> = {
  fetch: { status: 'succeeded' },
  build: { status: 'succeeded' },
  review: { status: 'waiting' },
  'test-unit': { status: 'failed' },
  'test-e2e': { status: 'running' },
  deploy: { status: 'pending' },
  notify: { status: 'skipped' },
  crash: { status: 'interrupted' },
};
const order = Object.keys(phases);

describe('FILTER_STATUSES', () => {
  it('offers every phase status exactly once, the new waiting status included', () => {
    expect([...FILTER_STATUSES].sort()).toEqual([...PHASE_STATUSES].sort());
    expect(FILTER_STATUSES).toContain('waiting');
  });
});

describe('countStatuses', () => {
  it('counts each status, zero for the absent ones', () => {
    const counts = countStatuses(Object.values(phases));
    expect(counts).toEqual({ running: 1, failed: 1, waiting: 1, pending: 1, succeeded: 2, skipped: 1, interrupted: 1 });
    expect(countStatuses([])).toEqual({ running: 0, failed: 0, waiting: 0, pending: 0, succeeded: 0, skipped: 0, interrupted: 0 });
  });
});

describe('filterPhases', () => {
  it('keeps everything, in the given order, with no status and no query', () => {
    expect(filterPhases(order, phases, { statuses: [], query: '' })).toEqual(order);
  });

  it('keeps the chosen statuses only', () => {
    expect(filterPhases(order, phases, { statuses: ['failed'], query: '' })).toEqual(['test-unit']);
    expect(filterPhases(order, phases, { statuses: ['waiting', 'succeeded'], query: '' })).toEqual(['fetch', 'build', 'review']);
    expect(filterPhases(order, phases, { statuses: ['interrupted', 'skipped'], query: '' })).toEqual(['notify', 'crash']);
  });

  it('combines the status filter with the search query', () => {
    expect(filterPhases(order, phases, { statuses: [], query: 'test' })).toEqual(['test-unit', 'test-e2e']);
    expect(filterPhases(order, phases, { statuses: ['running'], query: 'test' })).toEqual(['test-e2e']);
    expect(filterPhases(order, phases, { statuses: ['pending'], query: 'test' })).toEqual([]);
  });

  it('skips ids without a phase record', () => {
    expect(filterPhases(['ghost', 'fetch'], phases, { statuses: [], query: '' })).toEqual(['fetch']);
  });
});
