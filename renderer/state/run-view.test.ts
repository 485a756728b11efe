import { describe, expect, it } from 'vitest';
import { diamond, persisted } from '../test/fixtures';
import { applyEvents, viewFromDetail } from './run-view';

describe('applyEvents', () => {
  it('applies phase facts and advances lastSeq', () => {
    const view = viewFromDetail(diamond());
    const next = applyEvents(view, [
      persisted(2, { type: 'phase.started', phaseId: 'a', attempt: 1, runAttempt: 1, defHash: 'h-a' }),
      persisted(3, { type: 'phase.finished', phaseId: 'a', attempt: 1, status: 'succeeded', durationMs: 5, output: 'hi' }),
      persisted(4, { type: 'phase.started', phaseId: 'b', attempt: 1, runAttempt: 1, defHash: 'h-b' }),
    ]);
    expect(next.lastSeq).toBe(4);
    expect(next.phases.a).toMatchObject({ status: 'succeeded', output: 'hi', attempts: 1 });
    expect(next.phases.b?.status).toBe('running');
    expect(next.phases.c).toBe(view.phases.c);
    expect(next.structure).toBe(view.structure);
  });

  it('drops events at or below lastSeq and returns the same object when nothing is new', () => {
    const view = viewFromDetail(diamond({ lastSeq: 5, run: { ...diamond().run, lastSeq: 5 } }));
    const stale = [persisted(5, { type: 'phase.started', phaseId: 'a', attempt: 1, runAttempt: 1, defHash: 'h-a' })];
    expect(applyEvents(view, stale)).toBe(view);
  });

  it('keeps a failed try running while a retry is scheduled', () => {
    const view = viewFromDetail(diamond());
    const next = applyEvents(view, [
      persisted(2, { type: 'phase.started', phaseId: 'a', attempt: 1, runAttempt: 1, defHash: 'h-a' }),
      persisted(3, { type: 'phase.finished', phaseId: 'a', attempt: 1, status: 'failed', durationMs: 5, retryInMs: 1000, error: { code: 'PROVIDER_TRANSIENT', message: '503' } }),
    ]);
    expect(next.phases.a?.status).toBe('running');
    expect(next.phases.a?.error?.code).toBe('PROVIDER_TRANSIENT');
  });

  it('marks running phases interrupted when the run finishes', () => {
    const view = viewFromDetail(diamond());
    const next = applyEvents(view, [
      persisted(2, { type: 'phase.started', phaseId: 'a', attempt: 1, runAttempt: 1, defHash: 'h-a' }),
      persisted(3, { type: 'run.finished', attempt: 1, status: 'interrupted' }),
    ]);
    expect(next.run.status).toBe('interrupted');
    expect(next.phases.a?.status).toBe('interrupted');
    expect(next.live).toBe(false);
  });

  it('replans on run.started: reused phases stay succeeded, the rest are pending', () => {
    const detail = diamond({ run: { ...diamond().run, status: 'failed' } });
    detail.phases = detail.phases.map((p) => (p.phaseId === 'a' ? { ...p, status: 'succeeded', output: 'A' } : p.phaseId === 'b' ? { ...p, status: 'failed' } : p));
    const view = viewFromDetail(detail);
    const phases = detail.phases.map((p) => ({ id: p.phaseId, kind: p.kind, dependsOn: p.dependsOn, defHash: p.defHash }));
    const next = applyEvents(view, [persisted(2, { type: 'run.started', attempt: 2, flowName: 'demo', phases, reused: ['a'], frontier: ['b', 'c'], resumed: true })]);
    expect(next.run).toMatchObject({ status: 'running', attempt: 2 });
    expect(next.phases.a).toMatchObject({ status: 'succeeded', output: 'A' });
    expect(next.phases.b?.status).toBe('pending');
    expect(next.structure).toBe(view.structure);
  });

  it('gives a new structure when the plan changes', () => {
    const view = viewFromDetail(diamond());
    const phases = [{ id: 'a', kind: 'command', dependsOn: [], defHash: 'x' }, { id: 'e', kind: 'command', dependsOn: ['a'], defHash: 'y' }];
    const next = applyEvents(view, [persisted(2, { type: 'run.started', attempt: 2, flowName: 'demo', phases, reused: [], frontier: ['a'], resumed: true })]);
    expect(next.structure).not.toBe(view.structure);
    expect(next.order).toEqual(['a', 'e']);
  });

  it('adds token usage to the phase and the run', () => {
    const view = viewFromDetail(diamond());
    const next = applyEvents(view, [persisted(2, { type: 'transcript.appended', phaseId: 'b', index: 0, role: 'assistant', usage: { inputTokens: 10, outputTokens: 4 } })]);
    expect(next.phases.b?.usage).toMatchObject({ inputTokens: 10, outputTokens: 4, steps: 1, unpricedSteps: 1 });
    expect(next.run.usage).toMatchObject({ inputTokens: 10, outputTokens: 4, steps: 1 });
    expect(view.run.usage).toMatchObject({ inputTokens: 0, outputTokens: 0, steps: 0 });
  });
});
