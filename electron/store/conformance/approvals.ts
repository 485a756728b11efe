/**
 * Conformance: waiting phases and runs, and decisions on approval phases (SPEC §2
 * `kind: approval`, §3 `waiting`): `phase.waiting`, `run.finished` waiting with what it
 * waits for, `approval.decided`, and `decide` on a waiting run — exactly one of two
 * racing decisions is recorded, on this connection or another.
 */
import { expect, it } from 'vitest';
import type { PersistedEvent, PlannedPhase, RunFact } from '../../../shared/events';
import { applyRunEvents, type RunSnapshot } from '../../../shared/run-reducer';
import { eventDerived } from '../../../shared/testing/replay-trace';
import type { CheckpointStore, DecisionRequest } from '../types';
import { OTHER, OWNER, alive, aliveExcept, commit, newAttempt, newRun, snapshot, started, succeeded, thrown, type Ctx, type GetCtx } from './fixtures';

const phase = (id: string, kind: string, dependsOn: string[] = []): PlannedPhase => ({ id, kind, dependsOn, defHash: `h-${id}` });
/** plan → review (approval) → ship; legal (approval) beside them; docs on its own. */
const APPROVAL_PLAN = [phase('plan', 'command'), phase('review', 'approval', ['plan']), phase('legal', 'approval', ['plan']), phase('ship', 'command', ['review', 'legal']), phase('docs', 'command')];

const waits = (phaseId: string, prompt = `check ${phaseId}`, attempt = 1): RunFact => ({ type: 'phase.waiting', phaseId, attempt, reason: 'approval', prompt });
const approve = (phaseId: string, by = 'ada', comment = 'looks good'): DecisionRequest => ({ phaseId, decision: 'approved', by, comment });
const reject = (phaseId: string, by = 'ada', comment = 'too risky'): DecisionRequest => ({ phaseId, decision: 'rejected', by, comment });

/** A run whose `review` and `legal` approvals wait and whose `docs` succeeded: the run ended `waiting`. */
export async function waitingRun(ctx: Ctx, id = 'run-1'): Promise<void> {
  await ctx.store.createRun(newRun(id, { start: { flowName: 'add-integration', phases: APPROVAL_PLAN, reused: [], frontier: ['plan', 'docs'] } }), OWNER, ctx.now());
  await commit(ctx, id, [started('plan'), started('docs'), succeeded('plan', 1, 'the plan'), started('review'), started('legal')]);
  await commit(ctx, id, [waits('review', 'Check: the plan'), waits('legal')]);
  await commit(ctx, id, [succeeded('docs', 1, 'docs built')]);
  await commit(ctx, id, [{ type: 'run.finished', attempt: 1, status: 'waiting', waitingFor: { approvals: ['review', 'legal'], budget: null } }]);
}

const byId = async (store: CheckpointStore, runId = 'run-1') => Object.fromEntries((await store.getPhases(runId)).map((p) => [p.phaseId, p]));

export function approvalSection(get: GetCtx): void {
  it('phase.waiting makes a phase waiting with its prompt; a waiting run.finished keeps it so and records what the run waits for', async () => {
    const ctx = get();
    await waitingRun(ctx);
    const run = await ctx.store.getRun('run-1');
    expect(run).toMatchObject({ status: 'waiting', owner: null, waitingFor: { approvals: ['review', 'legal'], budget: null }, error: null });
    const phases = await byId(ctx.store);
    expect(phases.review).toMatchObject({ status: 'waiting', waiting: { reason: 'approval', prompt: 'Check: the plan', message: null, since: expect.any(Number) }, decision: null, output: null, finishedAt: null });
    expect(phases.legal?.status).toBe('waiting');
    expect(phases.docs).toMatchObject({ status: 'succeeded', waiting: null });
    expect(phases.ship?.status).toBe('pending');
    const events = await ctx.store.eventsSince('run-1', 0, 100);
    expect(events.filter((e) => e.type === 'phase.waiting')).toEqual([
      expect.objectContaining({ type: 'phase.waiting', phaseId: 'review', attempt: 1, reason: 'approval', prompt: 'Check: the plan' }),
      expect.objectContaining({ type: 'phase.waiting', phaseId: 'legal' }),
    ]);
    expect((await ctx.store.getAttempts('run-1'))[0]?.status).toBe('waiting');
    expect((await ctx.store.listRuns(10, 'waiting')).map((r) => r.id)).toEqual(['run-1']);
  });

  it('decide approves a waiting approval: the decision, then its success with the comment as output, saved for resume', async () => {
    const ctx = get();
    await waitingRun(ctx);
    const now = ctx.now();
    const events = await ctx.store.decide('run-1', approve('review', 'ada', 'ship it, mind the flag'), now);
    expect(events.map((e) => [e.type, e.seq])).toEqual([['approval.decided', 11], ['phase.finished', 12]]);
    expect(events[0]).toEqual({ type: 'approval.decided', runId: 'run-1', seq: 11, at: now, phaseId: 'review', attempt: 1, decision: 'approved', by: 'ada', comment: 'ship it, mind the flag' });
    expect(events[1]).toMatchObject({ type: 'phase.finished', phaseId: 'review', attempt: 1, status: 'succeeded', output: 'ship it, mind the flag' });
    const phases = await byId(ctx.store);
    expect(phases.review).toMatchObject({ status: 'succeeded', output: 'ship it, mind the flag', waiting: null, decision: { phaseId: 'review', attempt: 1, decision: 'approved', by: 'ada', comment: 'ship it, mind the flag', at: now } });
    expect(phases.legal?.status).toBe('waiting');
    // Still waiting, for one approval less, and no one owns it.
    expect(await ctx.store.getRun('run-1')).toMatchObject({ status: 'waiting', owner: null, waitingFor: { approvals: ['legal'], budget: null } });
    expect((await ctx.store.getPhaseResults('run-1')).get('review')).toMatchObject({ defHash: 'h-review', output: 'ship it, mind the flag', attempt: 1 });
    expect(await ctx.store.getDecisions('run-1')).toEqual([{ phaseId: 'review', attempt: 1, decision: 'approved', by: 'ada', comment: 'ship it, mind the flag', at: now }]);
    expect(await ctx.store.eventsSince('run-1', 10, 10)).toEqual(events);

    // A resume reuses the approval; the run waits for nothing until its next end.
    const begun = await ctx.store.beginAttempt('run-1', newAttempt(APPROVAL_PLAN, ['plan', 'review', 'docs']), OWNER, ctx.now(), alive);
    expect(begun.run).toMatchObject({ status: 'running', attempt: 2, waitingFor: null });
    expect(begun.events).toMatchObject([{ type: 'run.started', reused: ['plan', 'review', 'docs'], outputs: { review: 'ship it, mind the flag' } }]);
    const after = await byId(ctx.store);
    expect(after.review).toMatchObject({ status: 'succeeded', decision: { by: 'ada' } });
    expect(after.legal).toMatchObject({ status: 'pending', waiting: null });
  });

  it('decide rejects: the phase fails with APPROVAL_REJECTED and the run fails with that error; other waiting phases end interrupted', async () => {
    const ctx = get();
    await waitingRun(ctx);
    const events = await ctx.store.decide('run-1', reject('legal', 'bob', 'no licence review yet'), ctx.now());
    const error = { code: 'APPROVAL_REJECTED', message: 'rejected by bob: no licence review yet', where: { phaseId: 'legal' } };
    expect(events.map((e) => e.type)).toEqual(['approval.decided', 'phase.finished', 'run.finished']);
    expect(events[1]).toMatchObject({ status: 'failed', error });
    expect(events[2]).toMatchObject({ type: 'run.finished', attempt: 1, status: 'failed', error });
    expect(await ctx.store.getRun('run-1')).toMatchObject({ status: 'failed', error, waitingFor: null, owner: null });
    const phases = await byId(ctx.store);
    expect(phases.legal).toMatchObject({ status: 'failed', error, waiting: null, decision: { decision: 'rejected', by: 'bob', comment: 'no licence review yet' } });
    expect(phases.review).toMatchObject({ status: 'interrupted', waiting: null });
    expect((await ctx.store.getPhaseResults('run-1')).has('legal')).toBe(false);
    // Resumable: a resume asks again (a new try waits).
    await ctx.store.beginAttempt('run-1', newAttempt(APPROVAL_PLAN, ['plan', 'docs']), OWNER, ctx.now(), alive);
    await commit(ctx, 'run-1', [started('review', 2, 2), started('legal', 2, 2), waits('legal', 'again', 2)]);
    expect((await byId(ctx.store)).legal).toMatchObject({ status: 'waiting', attempts: 2, waiting: { prompt: 'again' }, decision: { attempt: 1, decision: 'rejected' } });
  });

  it('decide refuses, changing nothing: unknown run or phase, a phase that is not an approval or not waiting, a run still running', async () => {
    const ctx = get();
    expect((await thrown(() => ctx.store.decide('nope', approve('review'), ctx.now()))).code).toBe('RUN_NOT_FOUND');
    await ctx.store.createRun(newRun('live', { start: { flowName: 'f', phases: APPROVAL_PLAN, reused: [], frontier: ['plan'] } }), OWNER, ctx.now());
    await commit(ctx, 'live', [started('plan'), succeeded('plan', 1, 'p'), started('review'), waits('review'), started('docs')]);
    const before = await snapshot(ctx.store, 'live');
    const running = await thrown(() => ctx.store.decide('live', approve('review'), ctx.now()));
    expect(running.code).toBe('RUN_OWNED');
    expect(running.message).toContain(`still running in ${OWNER.host}:${OWNER.pid}`);
    const unknown = await thrown(() => ctx.store.decide('live', approve('reveiw'), ctx.now()));
    expect(unknown.code).toBe('USAGE');
    expect(unknown.message).toContain('has no phase "reveiw" (phases: plan, review, legal, ship, docs)');
    const command = await thrown(() => ctx.store.decide('live', approve('docs'), ctx.now()));
    expect(command).toMatchObject({ code: 'APPROVAL_NOT_WAITING', where: { phaseId: 'docs' } });
    expect(command.message).toContain('it is a command phase, not an approval');
    const pending = await thrown(() => ctx.store.decide('live', approve('legal'), ctx.now()));
    expect(pending.code).toBe('APPROVAL_NOT_WAITING');
    expect(pending.message).toContain('it has not started yet');
    expect(await snapshot(ctx.store, 'live')).toEqual(before);

    await waitingRun(ctx, 'run-1');
    await ctx.store.decide('run-1', approve('review', 'ada'), ctx.now());
    const at = ctx.last();
    const again = await thrown(() => ctx.store.decide('run-1', reject('review', 'bob'), ctx.now()));
    expect(again.code).toBe('APPROVAL_NOT_WAITING');
    expect(again.message).toBe(`phase "review" of run run-1 is not waiting for a decision: it was already approved by ada at ${new Date(at).toISOString()}`);
    expect(await ctx.store.getDecisions('run-1')).toHaveLength(1);
  });

  it('of two decisions racing for one phase, on this connection and another, exactly one is recorded; the other names the winner', async () => {
    const ctx = get();
    await waitingRun(ctx);
    const second = (await ctx.connect?.()) ?? ctx.store;
    try {
      const now = ctx.now();
      const outcomes = await Promise.allSettled([ctx.store.decide('run-1', approve('review', 'ada'), now), second.decide('run-1', reject('review', 'bob'), now)]);
      const won = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i] : []));
      expect(won).toHaveLength(1);
      const lost = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      const winner = won[0] === 0 ? 'approved by ada' : 'rejected by bob';
      expect(lost?.reason).toMatchObject({ code: 'APPROVAL_NOT_WAITING' });
      expect((lost?.reason as Error).message).toContain(`already ${winner}`);
      expect((await ctx.store.getDecisions('run-1')).map((d) => d.by)).toEqual([won[0] === 0 ? 'ada' : 'bob']);
    } finally {
      if (second !== ctx.store) await second.close();
    }
  });

  it('waiting phases end interrupted when the run ends otherwise, and when its dead owner is reaped', async () => {
    const ctx = get();
    await ctx.store.createRun(newRun('failing', { start: { flowName: 'f', phases: APPROVAL_PLAN, reused: [], frontier: ['plan'] } }), OWNER, ctx.now());
    await commit(ctx, 'failing', [started('plan'), succeeded('plan', 1, 'p'), started('review'), waits('review'), { type: 'run.finished', attempt: 1, status: 'failed', error: { code: 'COMMAND_FAILED', message: 'x' } }]);
    expect((await byId(ctx.store, 'failing')).review).toMatchObject({ status: 'interrupted', waiting: null });
    expect((await ctx.store.getRun('failing'))?.waitingFor).toBeNull();

    await ctx.store.createRun(newRun('orphan', { start: { flowName: 'f', phases: APPROVAL_PLAN, reused: [], frontier: ['plan'] } }), OTHER, ctx.now());
    await commit(ctx, 'orphan', [started('plan'), succeeded('plan', 1, 'p'), started('review'), waits('review')], OTHER);
    const reaped = await ctx.store.reapOrphans(aliveExcept(OTHER.pid), ctx.now(), 30_000);
    expect(reaped.map((e) => [e.type, 'phaseId' in e ? e.phaseId : null, 'status' in e ? e.status : null])).toEqual([['phase.finished', 'review', 'interrupted'], ['run.finished', null, 'interrupted']]);
    expect((await byId(ctx.store, 'orphan')).review).toMatchObject({ status: 'interrupted', waiting: null });
  });

  it('commit refuses a decision on a try never started or already decided, as a whole batch', async () => {
    const ctx = get();
    await ctx.store.createRun(newRun('run-1', { start: { flowName: 'f', phases: APPROVAL_PLAN, reused: [], frontier: ['plan'] } }), OWNER, ctx.now());
    await commit(ctx, 'run-1', [started('plan'), succeeded('plan', 1, 'p'), started('review'), waits('review')]);
    const decided = (attempt: number): RunFact => ({ type: 'approval.decided', phaseId: 'review', attempt, decision: 'approved', by: 'ada', comment: '' });
    const before = await snapshot(ctx.store, 'run-1');
    expect((await thrown(() => commit(ctx, 'run-1', [decided(2)]))).message).toContain('finished try 2, which was never started');
    await commit(ctx, 'run-1', [decided(1), succeeded('review', 1, '')]);
    expect((await thrown(() => commit(ctx, 'run-1', [started('docs'), decided(1)]))).message).toContain('try 1 of phase "review" was already decided');
    expect((await byId(ctx.store)).docs?.status).toBe('pending');
    expect((await snapshot(ctx.store, 'run-1')).run?.lastSeq).toBe((before.run?.lastSeq ?? 0) + 2);
  });

  it('a snapshot plus the events after it equals a fresh snapshot through waiting, a decision, a resume and a queue', async () => {
    const ctx = get();
    const snaps: RunSnapshot[] = [];
    const record = async () => {
      const run = await ctx.store.getRun('run-1');
      if (!run) throw new Error('run missing');
      snaps.push({ run, phases: await ctx.store.getPhases('run-1') });
    };
    await ctx.store.createRun(newRun('run-1', { start: { flowName: 'f', phases: APPROVAL_PLAN, reused: [], frontier: ['plan', 'docs'] } }), OWNER, ctx.now());
    await record();
    await commit(ctx, 'run-1', [started('plan'), succeeded('plan', 1, 'p'), started('review'), started('legal'), waits('review')]);
    await record();
    await commit(ctx, 'run-1', [waits('legal'), { type: 'approval.decided', phaseId: 'review', attempt: 1, decision: 'approved', by: 'ada', comment: 'ok' }, succeeded('review', 1, 'ok')]);
    await record();
    await commit(ctx, 'run-1', [{ type: 'run.finished', attempt: 1, status: 'waiting', waitingFor: { approvals: ['legal'], budget: null } }]);
    await record();
    await ctx.store.decide('run-1', approve('legal', 'bob', 'fine'), ctx.now());
    await record();
    await ctx.store.enqueueResume('run-1', { restartPhase: null, flowSource: null }, ctx.now());
    await record();
    const end = snaps[snaps.length - 1] as RunSnapshot;
    expect(end.run).toMatchObject({ status: 'queued', waitingFor: null });
    expect(end.phases.find((p) => p.phaseId === 'legal')).toMatchObject({ status: 'succeeded', output: 'fine', decision: { by: 'bob' } });
    for (const snap of snaps) {
      const after: PersistedEvent[] = await ctx.store.eventsSince('run-1', snap.run.lastSeq, 100);
      expect(eventDerived(applyRunEvents(snap, after)), `replaying after seq ${snap.run.lastSeq}`).toEqual(eventDerived(end));
    }
  });
}
