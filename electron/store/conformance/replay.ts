/**
 * Conformance: a snapshot plus the events after it equals a fresh snapshot (STYLE rule 9).
 *
 * A realistic run of three attempts goes through the store; after every write the case
 * records what the store answers (`getRun` + `getPhases`). At the end, each recorded
 * snapshot, with `eventsSince` its `lastSeq` applied by the shared reducer, must equal
 * the final snapshot in every field events decide (all but the run's owner and flow
 * file: shared/testing/replay-trace.ts). Replayed events carry outputs and tails again
 * (joined back from where the store keeps them), so those are compared too.
 *
 * The trace is also written to shared/testing/replay-trace.json: every store must record
 * the same one, and the renderer's test replays it through the renderer's reducer.
 * After an intended change of store behaviour: `npx vitest run electron/store/memory-store.test.ts -u`.
 */
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import type { PlannedPhase } from '../../../shared/events';
import { applyRunEvents, type RunSnapshot } from '../../../shared/run-reducer';
import { canonicalJson, eventDerived, type ReplayTrace } from '../../../shared/testing/replay-trace';
import { MODEL_ERROR, OTHER, OWNER, aliveExcept, commit, failed, newAttempt, said, started, startRun, succeeded, type Ctx, type GetCtx } from './fixtures';

const TRACE_FILE = fileURLToPath(new URL('../../../shared/testing/replay-trace.json', import.meta.url));

const phase = (id: string, kind: string, dependsOn: string[]): PlannedPhase => ({ id, kind, dependsOn, defHash: `h-${id}` });
const RESEARCH = phase('research', 'agent', []);
const CODE = phase('code', 'agent', ['research']);
const TEST = phase('test', 'command', ['code']);
const DOCS = phase('docs', 'command', ['code']);

export function replaySection(get: GetCtx): void {
  it('every snapshot plus the events after it equals the final snapshot', async () => {
    const ctx = get();
    const snapshots = await scenario(ctx);
    const end = snapshots[snapshots.length - 1] as RunSnapshot;
    for (const snap of snapshots) {
      const after = await ctx.store.eventsSince('run-1', snap.run.lastSeq, 10_000);
      const replayed = applyRunEvents(snap, after);
      expect(eventDerived(replayed), `replaying seq ${snap.run.lastSeq + 1}.. over the snapshot at seq ${snap.run.lastSeq}`).toEqual(eventDerived(end));
    }
  });

  it('the scenario ends where the tricky cases show, and records the trace the renderer replays', async () => {
    const ctx = get();
    const snapshots = await scenario(ctx);
    const end = snapshots[snapshots.length - 1] as RunSnapshot;
    expect(end.run).toMatchObject({ status: 'failed', attempt: 3, lastSeq: 26, usage: { inputTokens: 1030, outputTokens: 380 } });
    expect(end.phases.map((p) => [p.phaseId, p.status, p.attempts, p.output])).toEqual([
      ['research', 'succeeded', 2, 'metrics: a, b'], // restarted and interrupted in attempt 2, reused in 3: its saved output shows again
      ['code', 'failed', 3, null],
      ['test', 'pending', 1, null], // its failed try of attempt 1 is still its last try
      ['docs', 'pending', 1, null], // dropped in attempt 2, back in 3: counts on from its try
    ]);
    expect(end.phases[2]).toMatchObject({ exitCode: 1, stdoutTail: '3 passed, 1 failed', stderrTail: 'AssertionError: expected 2 metrics, got 1' });
    expect(end.phases[3]).toMatchObject({ startedAt: null, exitCode: null, stdoutTail: null, stderrTail: null });
    const trace: ReplayTrace = { snapshots, events: await ctx.store.eventsSince('run-1', 0, 10_000) };
    await expect(canonicalJson(trace)).toMatchFileSnapshot(TRACE_FILE);
  });
}

/** Drives the run; returns the store's snapshot after each write, oldest first. */
async function scenario(ctx: Ctx): Promise<RunSnapshot[]> {
  const snapshots: RunSnapshot[] = [];
  const record = async () => {
    const run = await ctx.store.getRun('run-1');
    if (!run) throw new Error('the scenario run is missing');
    snapshots.push({ run, phases: await ctx.store.getPhases('run-1') });
  };
  const step = async (write: () => Promise<unknown>) => {
    await write();
    await record();
  };
  const usage = (inputTokens: number, outputTokens: number) => ({ inputTokens, outputTokens });

  // Attempt 1: research succeeds; code fails once (retried) then succeeds; docs succeeds; test fails.
  await step(() => startRun(ctx, 'run-1', { start: { flowName: 'add-integration', phases: [RESEARCH, CODE, TEST, DOCS], reused: [], frontier: ['research'] } }));
  await step(() => commit(ctx, 'run-1', [started('research'), said('research', 0, { text: 'listing metrics' }, usage(120, 40)), said('research', 1, { tool: 'read_file' }, undefined, 'tool'), succeeded('research', 1, 'metrics: a, b')]));
  await step(() => commit(ctx, 'run-1', [started('code'), said('code', 0, { text: 'writing' }, usage(200, 80)), failed('code', 1, { code: 'PROVIDER_TRANSIENT', message: 'HTTP 503' }, { retryInMs: 1_000 })]));
  await step(() => commit(ctx, 'run-1', [started('code', 2), said('code', 1, { text: 'done' }, usage(210, 90)), succeeded('code', 2, 'def check(): ...'), started('test'), started('docs')]));
  await step(() => commit(ctx, 'run-1', [succeeded('docs', 1, 'site built', { exitCode: 0, stdoutTail: 'INFO built in 0.4s', stderrTail: '' })]));
  const testFailed = failed('test', 1, { code: 'COMMAND_FAILED', message: 'exited with code 1' }, { exitCode: 1, stdoutTail: '3 passed, 1 failed', stderrTail: 'AssertionError: expected 2 metrics, got 1' });
  await step(() => commit(ctx, 'run-1', [testFailed, { type: 'run.finished', attempt: 1, status: 'failed', error: { code: 'PHASE_FAILED', message: 'phase "test" failed' } }]));

  // Attempt 2, another process: the flow was edited (docs removed, file moved) and research restarted; then that process dies.
  const moved = { flowName: 'add-integration-v2', flowFile: '/flows/v2/add-integration.yaml', restartPhase: 'research' };
  await step(() => ctx.store.beginAttempt('run-1', newAttempt([RESEARCH, CODE, TEST], [], moved), OTHER, ctx.now(), aliveExcept(OWNER.pid)));
  await step(() => commit(ctx, 'run-1', [started('research', 2, 2), said('research', 2, { text: 'again' }, usage(300, 100))], OTHER));
  await step(() => ctx.store.reapOrphans(aliveExcept(OTHER.pid), ctx.now(), 30_000));

  // Attempt 3: the flow of attempt 1 again (docs back); research is reused, code restarted and fails for good.
  await step(() => ctx.store.beginAttempt('run-1', newAttempt([RESEARCH, CODE, TEST, DOCS], ['research'], { restartPhase: 'code' }), OWNER, ctx.now(), aliveExcept(OTHER.pid)));
  await step(() => commit(ctx, 'run-1', [started('code', 3, 3), said('code', 2, { text: 'retrying' }, usage(200, 70))]));
  await step(() => commit(ctx, 'run-1', [failed('code', 3, MODEL_ERROR), { type: 'run.finished', attempt: 3, status: 'failed', error: { code: 'PHASE_FAILED', message: 'phase "code" failed' } }]));
  return snapshots;
}
