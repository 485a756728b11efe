import { describe, expect, it } from 'vitest';
import { diamond, persisted } from '../test/fixtures';
import { applyEvents, viewFromDetail } from './run-view';

describe('the run view knows which phases are optional', () => {
  it('from the snapshot, then from the plan each new attempt starts with', () => {
    const view = viewFromDetail(diamond({ optional: ['b'] }));
    expect([...view.optional]).toEqual(['b']);
    expect([...viewFromDetail(diamond()).optional]).toEqual([]);
    const plan = [
      { id: 'a', kind: 'command', dependsOn: [], defHash: 'ha' },
      { id: 'c', kind: 'command', dependsOn: ['a'], defHash: 'hc', optional: true as const },
    ];
    const after = applyEvents(view, [persisted(2, { type: 'run.started', attempt: 2, flowName: 'demo', phases: plan, reused: ['a'], frontier: ['c'], resumed: true })]);
    expect([...after.optional]).toEqual(['c']);
    // Events that do not replan keep it.
    expect(applyEvents(after, [persisted(3, { type: 'phase.started', phaseId: 'c', attempt: 1, runAttempt: 2, defHash: 'hc' })]).optional).toBe(after.optional);
  });
});
