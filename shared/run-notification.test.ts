import { describe, expect, it } from 'vitest';
import type { ApiEvent } from './api';
import type { PersistedEvent, RunFact } from './events';
import { NOTIFICATION_BODY_CHARS, runNotificationFor } from './run-notification';

const ev = (fact: RunFact, runId = 'run001'): PersistedEvent => ({ ...fact, runId, seq: 7, at: 1000 }) as PersistedEvent;
const finished = (status: Extract<RunFact, { type: 'run.finished' }>['status'], over: Partial<Extract<RunFact, { type: 'run.finished' }>> = {}) =>
  ev({ type: 'run.finished', attempt: 1, status, ...over });

describe('runNotificationFor', () => {
  it('announces an approval as soon as the phase waits, with the prompt’s first line', () => {
    const event = ev({ type: 'phase.waiting', phaseId: 'review', attempt: 2, reason: 'approval', prompt: '\n  Apply this migration plan?\n\n1. back up\n' });
    expect(runNotificationFor(event, 'approval-gate')).toEqual({
      runId: 'run001',
      reason: 'approval',
      title: 'Approval needed: approval-gate',
      body: 'review waits for your decision: Apply this migration plan?',
      tag: 'run001:approval:review:2',
    });
    const bare = runNotificationFor(ev({ type: 'phase.waiting', phaseId: 'review', attempt: 1, reason: 'approval' }), null);
    expect(bare).toMatchObject({ title: 'Approval needed: run run001', body: 'review waits for your decision.' });
  });

  it('announces a spent budget once, when the run ends waiting for it, not per phase that stopped', () => {
    expect(runNotificationFor(ev({ type: 'phase.waiting', phaseId: 'write', attempt: 1, reason: 'budget', message: 'spent $0.03 of $0.02' }), 'notes')).toBeNull();
    const budget = { limit: { usd: 0.02 }, spentUsd: 0.026, spentTokens: 2600 };
    expect(runNotificationFor(finished('waiting', { waitingFor: { approvals: [], budget } }), 'notes')).toEqual({
      runId: 'run001',
      reason: 'budget',
      title: 'Budget reached: notes',
      body: 'Spent $0.026 of $0.02. Raise the budget to continue.',
      tag: 'run001:budget',
    });
    // Waiting for budget and approvals at once: the budget is what is new.
    expect(runNotificationFor(finished('waiting', { waitingFor: { approvals: ['review'], budget } }), 'notes')?.reason).toBe('budget');
  });

  it('says nothing more when a run ends waiting only for approvals it already announced', () => {
    expect(runNotificationFor(finished('waiting', { waitingFor: { approvals: ['review'], budget: null } }), 'gate')).toBeNull();
  });

  it('announces failures with their message and successes', () => {
    expect(runNotificationFor(finished('failed', { error: { code: 'COMMAND_FAILED', message: 'phase "test" exited with code 1' } }), 'build')).toMatchObject({
      reason: 'failed',
      title: 'Run failed: build',
      body: 'phase "test" exited with code 1',
      tag: 'run001:failed',
    });
    expect(runNotificationFor(finished('failed'), 'build')?.body).toBe('Run run001 failed.');
    expect(runNotificationFor(finished('succeeded'), 'build')).toMatchObject({ reason: 'succeeded', title: 'Run succeeded: build', body: 'Run run001 finished: every required phase succeeded.' });
  });

  it('keeps bodies to one short line', () => {
    const long = runNotificationFor(finished('failed', { error: { code: 'PHASE_FAILED', message: `line one\nline two ${'x'.repeat(400)}` } }), 'build');
    expect(long?.body).toHaveLength(NOTIFICATION_BODY_CHARS);
    expect(long?.body.startsWith('line one line two')).toBe(true);
    expect(long?.body.endsWith('…')).toBe(true);
  });

  it('ignores cancelled and interrupted runs and every other event', () => {
    expect(runNotificationFor(finished('cancelled'), 'x')).toBeNull();
    expect(runNotificationFor(finished('interrupted'), 'x')).toBeNull();
    const others: ApiEvent[] = [
      ev({ type: 'run.started', attempt: 1, flowName: 'x', phases: [], reused: [], frontier: [], resumed: false }),
      ev({ type: 'phase.started', phaseId: 'a', attempt: 1, runAttempt: 1, defHash: 'h' }),
      ev({ type: 'phase.finished', phaseId: 'a', attempt: 1, status: 'failed', durationMs: 1 }),
      ev({ type: 'approval.decided', phaseId: 'review', attempt: 1, decision: 'approved', by: 'ada', comment: '' }),
      { type: 'phase.delta', runId: 'run001', phaseId: 'a', text: 'hi' },
      { type: 'store.failed', runId: 'run001', message: 'disk full' },
      { type: 'runs.changed', runId: 'run001' },
    ];
    for (const event of others) expect(runNotificationFor(event, 'x')).toBeNull();
  });
});
