/** Conformance: a batch of facts is applied entirely or not at all, and a refusal reads the same in both stores. */
import { expect, it } from 'vitest';
import type { RunFact } from '../../../shared/events';
import { commit, said, snapshot, started, startRun, succeeded, thrown, type Ctx, type GetCtx } from './fixtures';

/** Commits `bad` after some saved work and checks that it throws `message` and changes nothing. */
async function expectRefused(ctx: Ctx, bad: RunFact[], message: RegExp): Promise<void> {
  await startRun(ctx);
  await commit(ctx, 'run-1', [started('research'), said('research', 0, 'saved step'), succeeded('research', 1, 'saved output')]);
  const before = await snapshot(ctx.store, 'run-1');
  const err = await thrown(async () => await commit(ctx, 'run-1', bad));
  expect(err.code).toBe('INTERNAL');
  expect(err.message).toMatch(/^run run-1: refused facts that contradict the saved run: /);
  expect(err.message).toMatch(message);
  expect(await snapshot(ctx.store, 'run-1')).toEqual(before);
  // The refused batch consumed no seq: the next good commit continues where the log ended.
  expect((await commit(ctx, 'run-1', [started('code')])).map((e) => e.seq)).toEqual([before.run!.lastSeq + 1]);
}

export function atomicitySection(get: GetCtx): void {
  it('refuses the whole batch when a try finishes as succeeded without having started', async () => {
    await expectRefused(get(), [started('code'), said('code', 0, 'step'), succeeded('test', 1, 'never ran')], /phase "test" finished try 1, which was never started/);
  });

  it('refuses a succeeded finish that comes before its start in the same batch', async () => {
    await expectRefused(get(), [succeeded('code', 1, 'too early'), started('code')], /phase "code" finished try 1, which was never started/);
  });

  it('refuses the whole batch when a transcript index is used twice in it', async () => {
    await expectRefused(get(), [started('code'), said('code', 0, 'first'), said('code', 0, 'again')], /transcript entry 0 of phase "code" already exists/);
  });

  it('refuses a transcript index that is already saved', async () => {
    await expectRefused(get(), [said('research', 1, 'new'), said('research', 0, 'overwrite?')], /transcript entry 0 of phase "research" already exists/);
  });

  it('refuses a fact about a phase that is not in the plan', async () => {
    await expectRefused(get(), [started('code'), started('deploy')], /phase "deploy" is not in the run's plan/);
  });

  it('refuses a transcript entry of a phase that is not in the plan', async () => {
    await expectRefused(get(), [said('deploy', 0, 'x')], /phase "deploy" is not in the run's plan/);
  });

  it('refuses starting the same try twice', async () => {
    await expectRefused(get(), [started('research', 1)], /phase "research" started try 1 twice/);
  });

  it('refuses numbers that are not whole counts (tokens, indexes, exit codes)', async () => {
    const ctx = get();
    await expectRefused(ctx, [started('code'), said('code', 0, 'x', { inputTokens: Number.NaN, outputTokens: 1 })], /usage\.inputTokens must be a whole number >= 0, got NaN/);
    for (const bad of [[said('research', -1, 'x')], [said('research', 1.5, 'x')], [{ type: 'phase.finished', phaseId: 'code', attempt: 0, status: 'skipped', durationMs: 0, exitCode: 1.5 }]] as RunFact[][]) {
      const before = await snapshot(ctx.store, 'run-1');
      expect((await thrown(async () => await commit(ctx, 'run-1', bad))).code).toBe('INTERNAL');
      expect(await snapshot(ctx.store, 'run-1')).toEqual(before);
    }
  });

  it('a good batch after a refused one applies normally', async () => {
    const ctx = get();
    await startRun(ctx);
    await expect(commit(ctx, 'run-1', [started('code'), succeeded('test', 1, 'x')])).rejects.toThrow();
    await commit(ctx, 'run-1', [started('code'), said('code', 0, 'ok'), succeeded('code', 1, 'done')]);
    expect((await ctx.store.getPhases('run-1'))[1]).toMatchObject({ status: 'succeeded', attempts: 1, output: 'done' });
    expect((await ctx.store.readTranscript('run-1', 'code', 0, 10)).map((e) => e.content)).toEqual(['ok']);
    expect((await ctx.store.getRun('run-1'))?.lastSeq).toBe(4);
  });
}
