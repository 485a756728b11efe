import { describe, expect, it } from 'vitest';
import { createWaymarkStore } from './store';

describe('graph slice', () => {
  it('toggles statuses in the filter and clears it', () => {
    const store = createWaymarkStore();
    const s = () => store.getState();
    s().toggleStatusFilter('failed');
    s().toggleStatusFilter('waiting');
    expect(s().statusFilter).toEqual(['failed', 'waiting']);
    s().toggleStatusFilter('failed');
    expect(s().statusFilter).toEqual(['waiting']);
    s().clearStatusFilter();
    expect(s().statusFilter).toEqual([]);
  });

  it('numbers focus requests, so asking twice for the same phase is two requests', () => {
    const store = createWaymarkStore();
    store.getState().focusPhase('a');
    const first = store.getState().focusRequest;
    store.getState().focusPhase('a');
    expect(first).toEqual({ phaseId: 'a', seq: 1 });
    expect(store.getState().focusRequest).toEqual({ phaseId: 'a', seq: 2 });
  });

  it('opening another run clears the query and the request, and keeps the display and the filter', () => {
    const store = createWaymarkStore();
    const s = () => store.getState();
    s().openRun('r1');
    s().setRunDisplay('list');
    s().toggleStatusFilter('failed');
    s().setPhaseQuery('deploy');
    s().focusPhase('deploy');
    s().openRun('r2');
    expect(s()).toMatchObject({ phaseQuery: '', focusRequest: null, runDisplay: 'list', statusFilter: ['failed'] });
  });
});
