/**
 * runs.approve / runs.reject through the API contract (dispatch on the in-memory
 * transport, a real Engine and SqliteStore): a waiting run approved in the app goes on
 * in the server's process; a decision while other phases still run reaches the parked
 * phase; bad requests and decisions that cannot apply are refused with what is wrong.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiEvent, WaymarkApi } from '../../shared/api';
import { MAX_DECISION_TEXT } from '../../shared/records';
import { createInMemoryApi } from '../transport/in-memory';
import { createApiFixture, finished, recordEvents, refusal, type ApiFixture } from './api-fixtures';

let fx: ApiFixture;
let api: WaymarkApi;

const GATE = `name: gate
phases:
  - { id: plan, kind: command, run: echo the plan }
  - { id: review, kind: approval, depends_on: [plan], prompt: "OK? {{phases.plan.output}}" }
  - { id: ship, kind: command, depends_on: [review], run: "echo shipped: {{phases.review.output}}" }
  - { id: slow, kind: command, run: "while [ ! -f go ]; do sleep 0.02; done" }
`;

beforeEach(async () => {
  fx = await createApiFixture();
  api = createInMemoryApi(fx.server);
  writeFileSync(join(fx.root, 'gate.yaml'), GATE);
});
afterEach(() => fx.cleanup());

const open = () => writeFileSync(join(fx.root, 'go'), '');
const waiting = (runId: string) => (e: ApiEvent): e is Extract<ApiEvent, { type: 'phase.waiting' }> => e.type === 'phase.waiting' && e.runId === runId;

describe('runs.approve and runs.reject', () => {
  it('approving a waiting run continues it in this process; the comment is the phase output', async () => {
    open();
    const rec = recordEvents(api);
    const { runId } = await api['runs.start']({ flowPath: 'gate.yaml' });
    expect(await rec.until(finished(runId))).toMatchObject({ status: 'waiting', waitingFor: { approvals: ['review'], budget: null } });
    const detail = await api['runs.get']({ runId });
    expect(detail.run).toMatchObject({ status: 'waiting', waitingFor: { approvals: ['review'] } });
    expect(detail.phases.find((p) => p.phaseId === 'review')).toMatchObject({ status: 'waiting', waiting: { reason: 'approval', prompt: 'OK? the plan' } });
    expect(detail.live).toBe(false);

    expect(await api['runs.approve']({ runId, phaseId: 'review', comment: 'ship it' })).toEqual({ runId });
    const end = await rec.until((e): e is Extract<ApiEvent, { type: 'run.finished' }> => e.type === 'run.finished' && e.runId === runId && e.status !== 'waiting');
    expect(end.status).toBe('succeeded');
    const after = await api['runs.get']({ runId });
    expect(after.phases.find((p) => p.phaseId === 'ship')?.output).toBe('shipped: ship it');
    expect(after.phases.find((p) => p.phaseId === 'review')?.decision).toMatchObject({ decision: 'approved', comment: 'ship it' });
    expect(rec.events.some((e) => e.type === 'approval.decided' && e.runId === runId)).toBe(true);
    rec.dispose();
  });

  it('a waiting run can be cancelled: its approval ends interrupted, and a resume asks again', async () => {
    open();
    const rec = recordEvents(api);
    const { runId } = await api['runs.start']({ flowPath: 'gate.yaml' });
    expect(await rec.until(finished(runId))).toMatchObject({ status: 'waiting' });
    expect(await api['runs.cancel']({ runId })).toEqual({ cancelled: true });
    const cancelled = await rec.until((e): e is Extract<ApiEvent, { type: 'run.finished' }> => e.type === 'run.finished' && e.runId === runId && e.status === 'cancelled');
    expect(cancelled.error).toEqual({ code: 'CANCELLED', message: 'cancelled by the user while it waited' });
    const detail = await api['runs.get']({ runId });
    expect(detail.run.status).toBe('cancelled');
    expect(detail.phases.find((p) => p.phaseId === 'review')?.status).toBe('interrupted');
    expect(await api['runs.cancel']({ runId })).toEqual({ cancelled: false });
    await api['runs.resume']({ runId });
    await rec.until((e): e is ApiEvent => e.type === 'phase.waiting' && e.runId === runId && e.attempt === 2);
    rec.dispose();
  });

  it('a decision while other phases run reaches the parked phase; a second one is refused naming the first', async () => {
    const rec = recordEvents(api);
    const { runId } = await api['runs.start']({ flowPath: 'gate.yaml' });
    await rec.until(waiting(runId));
    expect(await api['runs.reject']({ runId, phaseId: 'review', reason: 'not this week' })).toEqual({ runId });
    const again = await refusal(api['runs.approve']({ runId, phaseId: 'review' }));
    expect(again.code).toBe('APPROVAL_NOT_WAITING');
    expect(again.message).toContain('already rejected by');
    open();
    const end = await rec.until(finished(runId));
    expect(end).toMatchObject({ status: 'failed', error: { code: 'APPROVAL_REJECTED', message: expect.stringContaining(': not this week') } });
    rec.dispose();
  });

  it('refuses bad requests: no reason, too long a comment, not a phase id, an unknown run', async () => {
    expect((await refusal(api['runs.reject']({ runId: 'run0000001', phaseId: 'review', reason: '   ' }))).message).toContain('a rejection needs a reason');
    expect((await refusal(api['runs.approve']({ runId: 'run0000001', phaseId: 'review', comment: 'x'.repeat(MAX_DECISION_TEXT + 1) }))).code).toBe('INVALID_REQUEST');
    expect((await refusal(api['runs.approve']({ runId: 'run0000001', phaseId: 'Bad Id' }))).code).toBe('INVALID_REQUEST');
    expect((await refusal(api['runs.approve']({ runId: 'run0000001', phaseId: 'review' }))).code).toBe('RUN_NOT_FOUND');
  });
});
