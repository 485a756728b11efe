/**
 * runs.tries, runs.previewRerun and runs.rerun through the API contract (dispatch on the
 * in-memory transport, a real Engine and SqliteStore): every try of a phase after a
 * resume; the rerun preview is what the rerun then does; bad requests are refused with
 * what is wrong.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WaymarkApi } from '../../shared/api';
import { createInMemoryApi } from '../transport/in-memory';
import { createApiFixture, finished, recordEvents, refusal, type ApiFixture } from './api-fixtures';

let fx: ApiFixture;
let api: WaymarkApi;

beforeEach(async () => {
  fx = await createApiFixture();
  api = createInMemoryApi(fx.server);
});
afterEach(() => fx.cleanup());


/** fails.yaml: `build` fails once (stderr "broken"), then passes on resume. */
async function failedThenResumed(rec: ReturnType<typeof recordEvents>): Promise<string> {
  const { runId } = await api['runs.start']({ flowPath: 'fails.yaml' });
  await rec.until(finished(runId));
  await api['runs.resume']({ runId });
  await rec.until((e): e is Extract<typeof e, { type: 'run.finished' }> => e.type === 'run.finished' && e.runId === runId && e.attempt === 2);
  return runId;
}

describe('history through the API', () => {
  it('runs.tries answers every try of a phase, the first one’s error and stderr kept after the resume', async () => {
    const rec = recordEvents(api);
    const runId = await failedThenResumed(rec);
    const tries = await api['runs.tries']({ runId, phaseId: 'build' });
    expect(tries.map((t) => [t.attempt, t.runAttempt, t.status, t.exitCode, t.output])).toEqual([
      [1, 1, 'failed', 1, null],
      [2, 2, 'succeeded', 0, 'built'],
    ]);
    expect(tries[0]?.error?.message).toContain('exited with code 1');
    expect(tries[0]?.stderrTail).toBe('broken\n');
    expect(tries[0]?.commandLine).toContain('fixed.marker');
    expect(await api['runs.tries']({ runId, phaseId: 'ship' })).toMatchObject([{ attempt: 1, status: 'succeeded' }]);
    expect((await refusal(api['runs.tries']({ runId: 'nosuchrun1', phaseId: 'build' }))).code).toBe('RUN_NOT_FOUND');
    expect((await refusal(api['runs.tries']({ runId, phaseId: 'Bad Id' }))).code).toBe('INVALID_REQUEST');
    rec.dispose();
  });

  it('runs.previewRerun shows what runs.rerun then does; the new run says where it came from', async () => {
    const rec = recordEvents(api);
    const runId = await failedThenResumed(rec);
    const preview = await api['runs.previewRerun']({ runId, fromPhase: 'build' });
    expect(preview).toEqual({ reused: ['fetch'], frontier: ['build'], rerun: [{ id: 'build', reason: 'restart-requested' }, { id: 'ship', reason: 'ancestor-reruns' }] });
    const { runId: newRunId } = await api['runs.rerun']({ runId, fromPhase: 'build' });
    expect(newRunId).not.toBe(runId);
    expect(await rec.until(finished(newRunId))).toMatchObject({ status: 'succeeded' });
    const detail = await api['runs.get']({ runId: newRunId });
    expect(detail.run).toMatchObject({ rerunOf: { runId, phase: 'build' }, attempt: 1 });
    expect(detail.phases.map((p) => [p.phaseId, p.status, p.attempts])).toEqual([['fetch', 'succeeded', 0], ['build', 'succeeded', 1], ['ship', 'succeeded', 1]]);
    expect((await refusal(api['runs.previewRerun']({ runId, fromPhase: 'deploy' }))).message).toContain('no such phase (phases: fetch, build, ship)');
    expect((await refusal(api['runs.rerun']({ runId: 'nosuchrun1', fromPhase: 'build' }))).code).toBe('RUN_NOT_FOUND');
    rec.dispose();
  });
});
