/** The shipped examples are part of the product: they must validate and behave as the README says. */
import { cpSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../store/sqlite-store';
import { tempDir, type TempDir } from '../testing/temp-dir';
import { Engine } from './engine';
import { loadFlow } from './flow-file';

const EXAMPLES = resolve(__dirname, '../../examples');
let dir: TempDir;
let engine: Engine;

beforeEach(async () => {
  dir = tempDir('waymark-examples-');
  cpSync(EXAMPLES, dir.path, { recursive: true, filter: (src) => !src.includes('.flaky-build') });
  engine = new Engine({ store: await SqliteStore.open(join(dir.path, 'examples.db')) });
});
afterEach(async () => {
  await engine.store.close();
  dir.remove();
});

describe('examples/', () => {
  it.each(readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')))('%s is a valid flow', (file) => {
    expect(() => loadFlow(join(EXAMPLES, file))).not.toThrow();
  });

  it('hello.yaml greets with the given name', async () => {
    const handle = await engine.startRun({ flowFile: join(dir.path, 'hello.yaml'), inputs: { name: 'Ada Lovelace' } });
    expect((await handle.done).status).toBe('succeeded');
    expect((await engine.store.getPhases(handle.runId)).at(-1)?.output).toBe('HELLO, ADA LOVELACE! has 20 characters');
  });

  it('flaky-build.yaml fails first, and resume finishes it reusing fetch and build', async () => {
    const first = await engine.startRun({ flowFile: join(dir.path, 'flaky-build.yaml') });
    expect((await first.done).status).toBe('failed');
    const fetched = (await engine.store.getPhases(first.runId))[0]?.output;
    expect((await (await engine.resumeRun({ runId: first.runId })).done).status).toBe('succeeded');
    const phases = await engine.store.getPhases(first.runId);
    expect(phases.map((p) => p.attempts)).toEqual([1, 1, 2, 1]);
    expect(phases[0]?.output).toBe(fetched);
  });

  it('approval-gate.yaml waits for the review after plan and checks, and an approval deploys with its comment', async () => {
    const first = await engine.startRun({ flowFile: join(dir.path, 'approval-gate.yaml') });
    expect(await first.done).toMatchObject({ status: 'waiting', waitingFor: { approvals: ['review'], budget: null } });
    const review = (await engine.store.getPhases(first.runId)).find((p) => p.phaseId === 'review');
    expect(review?.waiting?.prompt).toContain('2. apply migration 042');
    const handle = await engine.decide({ runId: first.runId, phaseId: 'review', decision: 'approved', comment: 'keep the old workers running' });
    expect((await handle.done).status).toBe('succeeded');
    const phases = await engine.store.getPhases(first.runId);
    expect(phases.map((p) => [p.phaseId, p.status, p.attempts])).toEqual([['plan', 'succeeded', 1], ['checks', 'succeeded', 1], ['review', 'succeeded', 1], ['deploy', 'succeeded', 1]]);
    expect(phases.at(-1)?.output).toBe("applying the plan, checks: lint ok, 128 tests passed\nreviewer's note: keep the old workers running");
  });
});
