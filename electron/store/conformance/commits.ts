/** Conformance: committing facts — seqs, live vs stored events, and what each fact does to a phase. */
import { expect, it } from 'vitest';
import type { PersistedEvent, PhaseFinishedEvent, RunFact, TranscriptAppendedEvent } from '../../../shared/events';
import { STREAM_TAIL_CHARS } from '../../../shared/run-reducer';
import { MODEL_ERROR, OWNER, PLAN, alive, commit, failed, newAttempt, said, started, startRun, succeeded, type GetCtx } from './fixtures';

export function commitSection(get: GetCtx): void {
  it('commit numbers events with consecutive seqs per run and stamps them', async () => {
    const ctx = get();
    await startRun(ctx, 'run-a');
    await startRun(ctx, 'run-b');
    const first = await commit(ctx, 'run-a', [started('research'), said('research', 0, 'hi'), said('research', 1, 'there')]);
    const firstAt = ctx.last();
    const second = await commit(ctx, 'run-a', [said('research', 2, 'again')]);
    const other = await commit(ctx, 'run-b', [started('research')]);
    expect(first.map((e) => [e.seq, e.runId, e.at])).toEqual([[2, 'run-a', firstAt], [3, 'run-a', firstAt], [4, 'run-a', firstAt]]);
    expect(second.map((e) => e.seq)).toEqual([5]);
    expect(other.map((e) => e.seq)).toEqual([2]);
    expect(await ctx.store.getRun('run-a')).toMatchObject({ lastSeq: 5, updatedAt: second[0]?.at });
    expect((await ctx.store.eventsSince('run-a', 0, 100)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('commit returns live events; eventsSince returns them with outputs and tails joined back, without transcript content', async () => {
    const ctx = get();
    await startRun(ctx);
    const facts: RunFact[] = [
      started('research'),
      said('research', 0, { text: 'the metrics are...', toolCalls: [{ name: 'read_file', args: { path: 'a.txt' } }] }, { inputTokens: 12, outputTokens: 7 }),
      succeeded('research', 1, 'metrics: a, b', { stdoutTail: 'out', stderrTail: 'err', exitCode: 0 }),
    ];
    const live = await commit(ctx, 'run-1', facts);
    expect(live).toEqual(facts.map((f, i) => ({ ...f, runId: 'run-1', seq: i + 2, at: ctx.last() })));
    const saved = await ctx.store.eventsSince('run-1', 1, 100);
    const { content: _content, ...said0 } = live[1] as TranscriptAppendedEvent;
    expect(saved).toEqual([live[0], said0, live[2]]);
  });

  it('replayed events carry what the store kept: a tail cut to its stored length, no output a later success replaced', async () => {
    const ctx = get();
    await startRun(ctx);
    const long = `${'x'.repeat(STREAM_TAIL_CHARS)}END`;
    await commit(ctx, 'run-1', [started('research'), succeeded('research', 1, 'first', { stdoutTail: long })]);
    await commit(ctx, 'run-1', [{ type: 'run.finished', attempt: 1, status: 'failed' }]);
    await ctx.store.beginAttempt('run-1', newAttempt(PLAN, [], { restartPhase: 'research' }), OWNER, ctx.now(), alive);
    await commit(ctx, 'run-1', [started('research', 2, 2), succeeded('research', 2, 'second')]);
    const [firstEnd, secondEnd] = (await ctx.store.eventsSince('run-1', 0, 100)).filter((e): e is PersistedEvent & PhaseFinishedEvent => e.type === 'phase.finished');
    expect(firstEnd).toMatchObject({ type: 'phase.finished', attempt: 1, stdoutTail: long.slice(3) });
    expect(firstEnd).not.toHaveProperty('output');
    expect(firstEnd).not.toHaveProperty('stderrTail');
    expect(secondEnd).toMatchObject({ type: 'phase.finished', attempt: 2, output: 'second' });
  });

  it('eventsSince pages by seq and limit', async () => {
    const ctx = get();
    await startRun(ctx);
    await commit(ctx, 'run-1', [started('research'), ...[0, 1, 2, 3].map((i) => said('research', i, i))]);
    expect((await ctx.store.eventsSince('run-1', 2, 2)).map((e) => e.seq)).toEqual([3, 4]);
    expect((await ctx.store.eventsSince('run-1', 5, 100)).map((e) => e.seq)).toEqual([6]);
    expect(await ctx.store.eventsSince('run-1', 6, 100)).toEqual([]);
  });

  it('phase.started then phase.finished(succeeded) saves the output with the started try\'s hash', async () => {
    const ctx = get();
    await startRun(ctx);
    await commit(ctx, 'run-1', [started('research', 1, 1, 'h-as-started')]);
    const startedAt = ctx.last();
    expect((await ctx.store.getPhases('run-1'))[0]).toMatchObject({ status: 'running', attempts: 1, startedAt, finishedAt: null, output: null });
    await commit(ctx, 'run-1', [succeeded('research', 1, 'metrics: a, b', { exitCode: 0 })]);
    const doneAt = ctx.last();
    expect((await ctx.store.getPhases('run-1'))[0]).toMatchObject({ phaseId: 'research', status: 'succeeded', attempts: 1, startedAt, finishedAt: doneAt, output: 'metrics: a, b', error: null, exitCode: 0 });
    expect([...(await ctx.store.getPhaseResults('run-1'))]).toEqual([
      ['research', { phaseId: 'research', defHash: 'h-as-started', output: 'metrics: a, b', attempt: 1, completedAt: doneAt }],
    ]);
  });

  it('an empty output is saved as an empty string, not as missing', async () => {
    const ctx = get();
    await startRun(ctx);
    await commit(ctx, 'run-1', [started('test'), { type: 'phase.finished', phaseId: 'test', attempt: 1, status: 'succeeded', durationMs: 1 }]);
    expect((await ctx.store.getPhaseResults('run-1')).get('test')?.output).toBe('');
    expect((await ctx.store.getPhases('run-1'))[2]?.output).toBe('');
  });

  it('a failed try with retryInMs keeps the phase running; the next try succeeds with attempts = 2', async () => {
    const ctx = get();
    await startRun(ctx);
    await commit(ctx, 'run-1', [started('code'), failed('code', 1, { ...MODEL_ERROR, retryable: true }, { retryInMs: 500 })]);
    expect((await ctx.store.getPhases('run-1'))[1]).toMatchObject({ phaseId: 'code', status: 'running', attempts: 1, error: { ...MODEL_ERROR, retryable: true } });
    await commit(ctx, 'run-1', [started('code', 2)]);
    expect((await ctx.store.getPhases('run-1'))[1]).toMatchObject({ status: 'running', attempts: 2, error: null, startedAt: ctx.last() });
    await commit(ctx, 'run-1', [succeeded('code', 2, 'def check(): ...')]);
    expect((await ctx.store.getPhases('run-1'))[1]).toMatchObject({ status: 'succeeded', attempts: 2, output: 'def check(): ...', error: null });
    expect((await ctx.store.getPhaseResults('run-1')).get('code')).toMatchObject({ attempt: 2, output: 'def check(): ...' });
  });

  it('a failed try without retry fails the phase with its error, exit code and stream tails, and saves no result', async () => {
    const ctx = get();
    await startRun(ctx);
    const error = { code: 'COMMAND_FAILED', message: 'exit code 2' } as const;
    await commit(ctx, 'run-1', [started('test'), failed('test', 1, error, { exitCode: 2, stdoutTail: '1 failed', stderrTail: 'Traceback' })]);
    expect((await ctx.store.getPhases('run-1'))[2]).toMatchObject({ status: 'failed', attempts: 1, error, exitCode: 2, output: null, stdoutTail: '1 failed', stderrTail: 'Traceback' });
    expect((await ctx.store.getPhaseResults('run-1')).has('test')).toBe(false);
  });

  it('a skipped phase finishes with try 0 and never counts as tried', async () => {
    const ctx = get();
    await startRun(ctx);
    const error = { code: 'PHASE_FAILED', message: 'skipped: optional dependency "code" did not succeed' } as const;
    await commit(ctx, 'run-1', [{ type: 'phase.finished', phaseId: 'test', attempt: 0, status: 'skipped', durationMs: 0, error }]);
    expect((await ctx.store.getPhases('run-1'))[2]).toMatchObject({ status: 'skipped', attempts: 0, error, startedAt: null, output: null });
    expect((await ctx.store.getPhaseResults('run-1')).size).toBe(0);
  });

  it('run.finished records the outcome, clears the owner and interrupts phases still running', async () => {
    const ctx = get();
    await startRun(ctx);
    await commit(ctx, 'run-1', [started('research'), succeeded('research', 1, 'ok'), started('code')]);
    const error = { code: 'CANCELLED', message: 'cancelled by the user' } as const;
    await commit(ctx, 'run-1', [{ type: 'run.finished', attempt: 1, status: 'cancelled', error }]);
    const at = ctx.last();
    expect(await ctx.store.getRun('run-1')).toMatchObject({ status: 'cancelled', error, finishedAt: at, updatedAt: at, owner: null, lastSeq: 5 });
    expect((await ctx.store.getPhases('run-1')).map((p) => [p.phaseId, p.status])).toEqual([['research', 'succeeded'], ['code', 'interrupted'], ['test', 'pending']]);
    expect((await ctx.store.getPhases('run-1'))[1]?.finishedAt).toBe(at);
    expect((await ctx.store.getAttempts('run-1'))[0]).toMatchObject({ status: 'cancelled', error, finishedAt: at });
  });

  it('a succeeded run.finished keeps no error', async () => {
    const ctx = get();
    await startRun(ctx);
    await commit(ctx, 'run-1', [{ type: 'run.finished', attempt: 1, status: 'succeeded' }]);
    expect(await ctx.store.getRun('run-1')).toMatchObject({ status: 'succeeded', error: null, owner: null });
    expect((await ctx.store.getAttempts('run-1'))[0]).toMatchObject({ status: 'succeeded', error: null });
  });

  it('the store keeps its own copy of a committed fact', async () => {
    const ctx = get();
    await startRun(ctx);
    const error = { code: 'PROVIDER_ERROR' as const, message: 'original' };
    const content = { text: 'original' };
    await commit(ctx, 'run-1', [started('code'), said('code', 0, content), failed('code', 1, error)]);
    error.message = 'mutated';
    content.text = 'mutated';
    expect((await ctx.store.getPhases('run-1'))[1]?.error?.message).toBe('original');
    expect((await ctx.store.readTranscript('run-1', 'code', 0, 10))[0]?.content).toEqual({ text: 'original' });
    expect((await ctx.store.eventsSince('run-1', 0, 100)).find((e) => e.type === 'phase.finished')).toMatchObject({ error: { message: 'original' } });
    expect((await ctx.store.getRun('run-1'))?.owner?.id).toBe(OWNER.id);
  });
}
