/**
 * Approval phases end to end in one process, on a real SQLite file (SPEC §2, §3): the
 * run waits for a person while independent phases go on, ends `waiting` holding no
 * process, and a decision (here, or after the run ended) lets it go on.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PersistedEvent, RunEvent } from '../../shared/events';
import { SqliteStore } from '../store/sqlite-store';
import { tempDir, waitFor, type TempDir } from '../testing/temp-dir';
import { Engine } from './engine';

let dir: TempDir;
let store: SqliteStore;
let engine: Engine;
let events: RunEvent[];

beforeEach(async () => {
  dir = tempDir('waymark-approval-');
  store = await SqliteStore.open(join(dir.path, 'test.db'));
  engine = new Engine({ store });
  events = [];
  engine.onEvent((e) => events.push(e));
});

afterEach(async () => {
  await engine.shutdown();
  await store.close();
  dir.remove();
});

/** A command that runs until the file `name` exists in the workspace (no fixed sleep). */
const gated = (name: string) => `while [ ! -f ${name} ]; do sleep 0.02; done; echo gate-${name}`;
const open = (name: string) => writeFileSync(join(dir.path, name), '');
const persisted = () => events.filter((e): e is PersistedEvent => 'seq' in e);
const startsOf = (phaseId: string) => persisted().filter((e) => e.type === 'phase.started' && e.phaseId === phaseId).length;
const phasesOf = async (runId: string) => Object.fromEntries((await store.getPhases(runId)).map((p) => [p.phaseId, p]));

const FLOW = `
name: release
phases:
  - { id: plan, kind: command, run: "echo 'step 1, step 2'" }
  - id: review
    kind: approval
    depends_on: [plan]
    prompt: "Is this plan safe? {{phases.plan.output}}"
  - { id: ship, kind: command, depends_on: [review], run: "echo shipping with {{phases.review.output}}" }
  - { id: slow, kind: command, run: "${gated('go')}" }
`;

describe('approval phases', () => {
  it('wait while an independent phase keeps running; the run ends waiting only after it, holding no process', async () => {
    const handle = await engine.startRun({ flowFile: dir.file('flow.yaml', FLOW) });
    await waitFor(() => persisted().some((e) => e.type === 'phase.waiting'), 10_000, 'the approval to wait');
    expect((await phasesOf(handle.runId)).review).toMatchObject({ status: 'waiting', waiting: { reason: 'approval', prompt: "Is this plan safe? step 1, step 2" } });
    expect(engine.isActive(handle.runId)).toBe(true); // `slow` still runs
    open('go');
    const outcome = await handle.done;
    expect(outcome).toEqual({ runId: handle.runId, status: 'waiting', error: null, waitingFor: { approvals: ['review'], budget: null } });
    expect(engine.isActive(handle.runId)).toBe(false);
    expect(await store.getRun(handle.runId)).toMatchObject({ status: 'waiting', owner: null, waitingFor: { approvals: ['review'], budget: null } });
    const phases = await phasesOf(handle.runId);
    expect([phases.plan?.status, phases.review?.status, phases.ship?.status, phases.slow?.status]).toEqual(['succeeded', 'waiting', 'pending', 'succeeded']);
  });

  it('approving a waiting run continues it here: the approval is reused, its dependents see the comment as its output', async () => {
    open('go');
    const first = await engine.startRun({ flowFile: dir.file('flow.yaml', FLOW) });
    expect((await first.done).status).toBe('waiting');
    const handle = await engine.decide({ runId: first.runId, phaseId: 'review', decision: 'approved', comment: 'ok, watch the flag', by: 'ada' });
    const outcome = await handle.done;
    expect(outcome).toMatchObject({ status: 'succeeded', error: null });
    const phases = await phasesOf(first.runId);
    expect(phases.ship?.output).toBe('shipping with ok, watch the flag');
    expect(phases.review).toMatchObject({ status: 'succeeded', output: 'ok, watch the flag', decision: { decision: 'approved', by: 'ada', attempt: 1 } });
    expect(startsOf('review')).toBe(1);
    expect(startsOf('slow')).toBe(1);
    expect(persisted().filter((e) => e.type === 'run.started').map((e) => e.type === 'run.started' && e.reused)).toEqual([[], ['plan', 'review', 'slow']]);
    const again = await engine.decide({ runId: first.runId, phaseId: 'review', decision: 'approved', by: 'bob' }).catch((err: unknown) => err);
    expect(again).toMatchObject({ code: 'APPROVAL_NOT_WAITING', message: expect.stringContaining('already approved by ada at') });
  });

  it('rejecting fails the run with the reason; a resume asks again', async () => {
    open('go');
    const first = await engine.startRun({ flowFile: dir.file('flow.yaml', FLOW) });
    await first.done;
    const rejected = await engine.decide({ runId: first.runId, phaseId: 'review', decision: 'rejected', comment: 'step 2 deletes prod', by: 'bob' });
    expect(await rejected.done).toMatchObject({ status: 'failed', error: { code: 'APPROVAL_REJECTED', message: 'rejected by bob: step 2 deletes prod', where: { phaseId: 'review' } } });
    expect((await store.getRun(first.runId))?.status).toBe('failed');
    const resumed = await engine.resumeRun({ runId: first.runId });
    expect(await resumed.done).toMatchObject({ status: 'waiting', waitingFor: { approvals: ['review'] } });
    expect(persisted().filter((e) => e.type === 'phase.waiting').map((e) => e.type === 'phase.waiting' && e.attempt)).toEqual([1, 2]);
    expect((await phasesOf(first.runId)).review).toMatchObject({ status: 'waiting', attempts: 2, decision: { attempt: 1, decision: 'rejected' } });
  });

  it('a decision while other phases still run is handed to the parked phase in this process (the app, serve)', async () => {
    const handle = await engine.startRun({ flowFile: dir.file('flow.yaml', FLOW) });
    await waitFor(() => persisted().some((e) => e.type === 'phase.waiting'), 10_000, 'the approval to wait');
    const decided = await engine.decide({ runId: handle.runId, phaseId: 'review', decision: 'approved', by: 'ada' });
    expect(decided.runId).toBe(handle.runId);
    await waitFor(async () => (await phasesOf(handle.runId)).ship?.status === 'succeeded', 10_000, 'ship to run while slow still runs');
    expect((await phasesOf(handle.runId)).slow?.status).toBe('running');
    open('go');
    expect(await handle.done).toMatchObject({ status: 'succeeded' });
    expect((await phasesOf(handle.runId)).ship?.output).toBe('shipping with '); // the empty comment, shell-quoted
    const decidedAt = persisted().findIndex((e) => e.type === 'approval.decided');
    const reviewDone = persisted().findIndex((e) => e.type === 'phase.finished' && e.phaseId === 'review');
    expect(decidedAt).toBeGreaterThan(-1);
    expect(decidedAt).toBeLessThan(reviewDone);
    expect(await store.getDecisions(handle.runId)).toEqual([expect.objectContaining({ phaseId: 'review', decision: 'approved', by: 'ada', comment: '' })]);
  });

  it('refuses decisions that cannot apply, with what is wrong', async () => {
    const handle = await engine.startRun({ flowFile: dir.file('flow.yaml', FLOW) });
    await waitFor(() => persisted().some((e) => e.type === 'phase.waiting'), 10_000, 'the approval to wait');
    const refusal = (input: Parameters<Engine['decide']>[0]) => engine.decide(input).then(() => null, (err: unknown) => err);
    expect(await refusal({ runId: handle.runId, phaseId: 'slow', decision: 'approved' })).toMatchObject({ code: 'APPROVAL_NOT_WAITING', message: expect.stringContaining('it is a command phase, not an approval') });
    expect(await refusal({ runId: handle.runId, phaseId: 'nope', decision: 'approved' })).toMatchObject({ code: 'USAGE', message: expect.stringContaining('has no phase "nope" (phases: plan, review, ship, slow)') });
    expect(await refusal({ runId: handle.runId, phaseId: 'review', decision: 'rejected', comment: '  ' })).toMatchObject({ code: 'USAGE', message: expect.stringContaining('needs a reason') });
    expect(await refusal({ runId: 'run-unknown', phaseId: 'review', decision: 'approved' })).toMatchObject({ code: 'RUN_NOT_FOUND' });
    open('go');
    expect((await handle.done).status).toBe('waiting');
  });
});
