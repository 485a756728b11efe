/**
 * The scheduler's waiting rules (SPEC §3), in process and without a store: a phase whose
 * try ends `waiting` (PhaseWaiting: a spent budget) or that parks for a decision (an
 * approval) holds back its dependents while everything else goes on; the run ends
 * `waiting` only when nothing else can run, saying what it waits for; a required
 * failure wins over waiting.
 */
import { describe, expect, it } from 'vitest';
import type { BudgetState, RunFact } from '../../shared/events';
import { parseFlow } from '../../shared/flow/load';
import { waitFor } from '../testing/temp-dir';
import { approvalKind } from './kinds/approval';
import { register } from './kinds';
import { PhaseFailure, PhaseWaiting, type PhaseKindModule } from './phase-kind';
import { FlowScheduler, type ScheduleInput } from './scheduler';

/**
 * A fake `command` kind driven by its `run` text: `wait` waits for budget, `fail` fails,
 * `hold` runs until `release()` is called (or the phase aborts); anything else succeeds
 * at once with `run` (plus what it templates) as its output.
 */
function fakeKinds() {
  const holds: (() => void)[] = [];
  const fake: PhaseKindModule<'command'> = {
    kind: 'command',
    async execute(ctx) {
      const run = ctx.phase.run;
      if (run === 'wait') throw new PhaseWaiting('budget', 'spent $1.20 of $1.00');
      if (run === 'fail') throw new PhaseFailure('COMMAND_FAILED', 'exited with code 1');
      if (run === 'hold') {
        await new Promise<void>((resolve, reject) => {
          holds.push(resolve);
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
        });
        return { output: 'held' };
      }
      return { output: run.replace(/\{\{phases\.(\w+)\.output\}\}/g, (_, id: string) => ctx.outputs.get(id) ?? '?') };
    },
  };
  const kinds = new Map<string, PhaseKindModule>();
  register(kinds, fake);
  register(kinds, approvalKind);
  return { kinds, release: () => holds.splice(0).forEach((r) => r()), holding: () => holds.length };
}

function scheduler(yaml: string, budgetState?: () => BudgetState | null) {
  const parsed = parseFlow(yaml, { file: 'flow.yaml' });
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
  const facts: RunFact[] = [];
  const fake = fakeKinds();
  const controller = new AbortController();
  const input: ScheduleInput = {
    runId: 'run-1', runAttempt: 1, flow: parsed.flow, defHashes: new Map(), inputs: {}, complete: new Map(), priorAttempts: new Map(), notices: new Map(),
    transcript: async () => ({ continueFrom: [], nextIndex: 0 }),
    workdir: '/nonexistent', kinds: fake.kinds, signal: controller.signal, env: {}, sandbox: { hiddenPaths: [] },
    durable: async (f, onSaved) => {
      facts.push(...f);
      onSaved?.();
    },
    trackProcess: () => ({ recorded: Promise.resolve(), forget: () => undefined }),
    emit: () => undefined,
    now: Date.now,
    ...(budgetState ? { budgetState } : {}),
  };
  const s = new FlowScheduler(input);
  return { s, facts, done: s.run(), ...fake, controller };
}

const summary = (facts: RunFact[]) => facts.map((f) => `${f.type} ${'phaseId' in f ? f.phaseId : ''} ${'status' in f ? f.status : 'reason' in f ? f.reason : ''}`.trim());
const BUDGET: BudgetState = { limit: { usd: 1 }, spentUsd: 1.2, spentTokens: 5000 };

describe('scheduler: waiting for a person', () => {
  it('a phase waiting for budget holds back its dependents; independent phases finish; the run ends waiting with the budget', async () => {
    const { done, facts } = scheduler(`
phases:
  - { id: spend, kind: command, run: wait }
  - { id: after, kind: command, depends_on: [spend], run: never }
  - { id: other, kind: command, run: ok }
  - { id: other2, kind: command, depends_on: [other], run: "got {{phases.other.output}}" }
`, () => BUDGET);
    const result = await done;
    expect(result).toEqual({ status: 'waiting', waitingFor: { approvals: [], budget: BUDGET } });
    expect(facts).toContainEqual({ type: 'phase.waiting', phaseId: 'spend', attempt: 1, reason: 'budget', message: 'spent $1.20 of $1.00' });
    expect(summary(facts).filter((f) => f.includes('spend') || f.includes('after'))).toEqual(['phase.started spend', 'phase.waiting spend budget']);
    expect(facts).toContainEqual(expect.objectContaining({ type: 'phase.finished', phaseId: 'other2', status: 'succeeded', output: 'got ok' }));
  });

  it('without a budgetState the waiting run says budget null', async () => {
    const { done } = scheduler('phases:\n  - { id: spend, kind: command, run: wait }\n');
    expect(await done).toEqual({ status: 'waiting', waitingFor: { approvals: [], budget: null } });
  });

  it('an approval parks without holding a max_parallel slot; the run ends waiting only after the independent phase finishes', async () => {
    const { s, done, facts, release, holding } = scheduler(`
max_parallel: 1
phases:
  - { id: review, kind: approval, prompt: "check it" }
  - { id: ship, kind: command, depends_on: [review], run: "shipped with {{phases.review.output}}" }
  - { id: slow, kind: command, run: hold }
`, () => BUDGET);
    let ended = false;
    void done.then(() => (ended = true));
    // `slow` starts although `review` took the only slot first: a parked phase frees it.
    await waitFor(() => holding() === 1, 5_000, 'slow to start');
    expect(s.isParked('review')).toBe(true);
    expect(facts).toContainEqual({ type: 'phase.waiting', phaseId: 'review', attempt: 1, reason: 'approval', prompt: 'check it' });
    await new Promise((r) => setTimeout(r, 30));
    expect(ended).toBe(false);
    release();
    // Only approvals wait: no budget in waitingFor, whatever budgetState says.
    expect(await done).toEqual({ status: 'waiting', waitingFor: { approvals: ['review'], budget: null } });
    expect(summary(facts).filter((f) => f.includes('review') || f.includes('ship'))).toEqual(['phase.started review', 'phase.waiting review approval']);
    expect(s.isParked('review')).toBe(false);
    expect(await s.decide('review', { decision: 'approved', by: 'ada', comment: 'late' })).toBe(false);
  });

  it('a decision while other phases run: approved, the comment is the output its dependents see; the run succeeds', async () => {
    const { s, done, facts, release } = scheduler(`
phases:
  - { id: review, kind: approval, prompt: "check it" }
  - { id: ship, kind: command, depends_on: [review], run: "shipped with {{phases.review.output}}" }
  - { id: slow, kind: command, run: hold }
`);
    await waitFor(() => s.isParked('review'), 5_000, 'review to park');
    expect(await s.decide('ship', { decision: 'approved', by: 'ada', comment: '' })).toBe(false);
    expect(await s.decide('review', { decision: 'approved', by: 'ada', comment: 'LGTM' })).toBe(true);
    expect(await s.decide('review', { decision: 'approved', by: 'bob', comment: 'me too' })).toBe(false);
    await waitFor(() => facts.some((f) => f.type === 'phase.finished' && f.phaseId === 'ship'), 5_000, 'ship to finish');
    release();
    expect(await done).toEqual({ status: 'succeeded' });
    const review = summary(facts).filter((f) => f.includes('review'));
    expect(review).toEqual(['phase.started review', 'phase.waiting review approval', 'approval.decided review', 'phase.finished review succeeded']);
    expect(facts).toContainEqual({ type: 'approval.decided', phaseId: 'review', attempt: 1, decision: 'approved', by: 'ada', comment: 'LGTM' });
    expect(facts).toContainEqual(expect.objectContaining({ type: 'phase.finished', phaseId: 'ship', output: 'shipped with LGTM' }));
  });

  it('rejected: the phase fails with APPROVAL_REJECTED, never retried even with defaults.retry; an optional one only skips its dependents', async () => {
    const yaml = (optional: boolean) => `
defaults: { retry: { attempts: 3, delay: 1ms } }
phases:
  - { id: review, kind: approval, optional: ${optional}, prompt: "check it" }
  - { id: ship, kind: command, depends_on: [review], run: never }
  - { id: slow, kind: command, run: hold }
`;
    const required = scheduler(yaml(false));
    await waitFor(() => required.s.isParked('review'), 5_000, 'review to park');
    await required.s.decide('review', { decision: 'rejected', by: 'ada', comment: 'too risky' });
    required.release();
    const result = await required.done;
    expect(result).toMatchObject({ status: 'failed', error: { code: 'APPROVAL_REJECTED', message: 'rejected by ada: too risky', where: { phaseId: 'review' } } });
    expect(required.facts.filter((f) => f.type === 'phase.started' && f.phaseId === 'review')).toHaveLength(1);

    const optional = scheduler(yaml(true));
    await waitFor(() => optional.s.isParked('review'), 5_000, 'review to park');
    await optional.s.decide('review', { decision: 'rejected', by: 'ada', comment: 'no' });
    optional.release();
    expect(await optional.done).toEqual({ status: 'succeeded' });
    expect(summary(optional.facts)).toContain('phase.finished ship skipped');
  });

  it('a required failure wins over waiting: the run fails and parked approvals are closed interrupted', async () => {
    const { done, facts, release, holding } = scheduler(`
phases:
  - { id: review, kind: approval, prompt: "check it" }
  - { id: broken, kind: command, run: fail }
  - { id: spend, kind: command, run: wait }
  - { id: slow, kind: command, run: hold }
`);
    await waitFor(() => holding() === 1, 5_000, 'slow to start');
    release();
    const result = await done;
    expect(result).toMatchObject({ status: 'failed', error: { code: 'COMMAND_FAILED', where: { phaseId: 'broken' } } });
    expect(facts).toContainEqual(expect.objectContaining({ type: 'phase.finished', phaseId: 'review', status: 'interrupted', error: expect.objectContaining({ code: 'INTERRUPTED' }) }));
  });

  it('cancelling aborts a parked approval like any running phase', async () => {
    const { s, done, facts, controller } = scheduler('phases:\n  - { id: review, kind: approval, prompt: "check it" }\n  - { id: slow, kind: command, run: hold }\n');
    await waitFor(() => s.isParked('review'), 5_000, 'review to park');
    controller.abort(Object.assign(new Error('cancelled by the user'), { code: 'CANCELLED' }));
    expect(await done).toMatchObject({ status: 'cancelled' });
    expect(summary(facts)).toEqual(expect.arrayContaining(['phase.finished review interrupted', 'phase.finished slow interrupted']));
  });
});
