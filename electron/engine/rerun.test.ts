/**
 * "Run again from a phase" (SPEC §4), in process on a real SQLite file: a new run that
 * reuses what the completed-set rules keep (never executing it again: each phase appends
 * to a file every time it really runs), runs the chosen phase and its descendants, and
 * records where it came from.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../store/sqlite-store';
import { tempDir, type TempDir } from '../testing/temp-dir';
import { Engine } from './engine';

let dir: TempDir;
let store: SqliteStore;
let engine: Engine;

beforeEach(async () => {
  dir = tempDir();
  store = await SqliteStore.open(join(dir.path, 'test.db'));
  engine = new Engine({ store });
});

afterEach(async () => {
  await store.close();
  dir.remove();
});

/** How many times each phase really ran: the marks it appended to runs.log. */
const executions = () => {
  const file = join(dir.path, 'runs.log');
  const counts: Record<string, number> = {};
  for (const id of existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []) counts[id] = (counts[id] ?? 0) + 1;
  return counts;
};

/** fetch → build → test, and docs beside build (fetch → docs). `fetchText` changes fetch's definition. */
const flow = (fetchText = 'v1', buildExit = 0) => `
name: pipeline
phases:
  - { id: fetch, kind: command, run: "echo fetch >> runs.log; printf ${fetchText}" }
  - { id: build, kind: command, depends_on: [fetch], run: "echo build >> runs.log; printf 'B-%s' {{phases.fetch.output}}; exit ${buildExit}" }
  - { id: test, kind: command, depends_on: [build], run: "echo test >> runs.log; printf 'T-%s' {{phases.build.output}}" }
  - { id: docs, kind: command, depends_on: [fetch], run: "echo docs >> runs.log; printf D" }
`;

async function runFlow(yaml: string) {
  const handle = await engine.startRun({ flowFile: dir.file('flow.yaml', yaml) });
  return handle.done;
}

async function rerun(runId: string, fromPhase: string) {
  const handle = await engine.rerunRun({ runId, fromPhase });
  return { ...(await handle.done), run: await store.getRun(handle.runId), phases: await store.getPhases(handle.runId) };
}

const statuses = (phases: { phaseId: string; status: string; output: string | null }[]) => phases.map((p) => [p.phaseId, p.status, p.output]);

describe('Engine: run again from a phase', () => {
  it('a succeeded run: reuses what is upstream (and beside), runs the phase and its descendants, as a new run that says where it came from', async () => {
    const first = await runFlow(flow());
    expect(first.status).toBe('succeeded');
    expect(executions()).toEqual({ fetch: 1, build: 1, test: 1, docs: 1 });

    const preview = await engine.rerunPlan({ runId: first.runId, fromPhase: 'build' });
    expect([...preview.plan.complete].sort()).toEqual(['docs', 'fetch']);
    expect(preview.plan.frontier).toEqual(['build']);

    const again = await rerun(first.runId, 'build');
    expect(again.runId).not.toBe(first.runId);
    expect(again.status).toBe('succeeded');
    expect(again.run).toMatchObject({ attempt: 1, rerunOf: { runId: first.runId, phase: 'build' } });
    // fetch and docs were not executed again; their saved outputs fed the phases that ran.
    expect(executions()).toEqual({ fetch: 1, build: 2, test: 2, docs: 1 });
    expect(statuses(again.phases)).toEqual([
      ['fetch', 'succeeded', 'v1'],
      ['build', 'succeeded', 'B-v1'],
      ['test', 'succeeded', 'T-B-v1'],
      ['docs', 'succeeded', 'D'],
    ]);
    // Reused phases have no try in the new run; the ones that ran have theirs.
    expect((await store.getTries(again.runId)).map((t) => [t.phaseId, t.attempt, t.status])).toEqual([['build', 1, 'succeeded'], ['test', 1, 'succeeded']]);
    // The run it came from is untouched.
    expect(await store.getRun(first.runId)).toMatchObject({ status: 'succeeded', attempt: 1, rerunOf: null });
  });

  it('follows the flow file as it is now: an edited upstream phase runs again too', async () => {
    const first = await runFlow(flow('v1'));
    dir.file('flow.yaml', flow('v2'));
    const again = await rerun(first.runId, 'test');
    expect(again.status).toBe('succeeded');
    // fetch changed: it and everything after it run; nothing of the old run is reused.
    expect(executions()).toEqual({ fetch: 2, build: 2, test: 2, docs: 2 });
    expect(again.phases.find((p) => p.phaseId === 'test')?.output).toBe('T-B-v2');
  });

  it('a failed run, from a phase before its failure: the failed phase runs again as a descendant; exit status as any run', async () => {
    const first = await runFlow(flow('v1', 3));
    expect(first.status).toBe('failed');
    dir.file('flow.yaml', flow('v1', 0));
    const again = await rerun(first.runId, 'build');
    expect(again.status).toBe('succeeded');
    expect(executions()).toEqual({ fetch: 1, build: 2, test: 1, docs: 1 });
    // A rerun of the rerun works the same way (its reused phase has a result of its own).
    const third = await rerun(again.runId, 'test');
    expect(third.run?.rerunOf).toEqual({ runId: again.runId, phase: 'test' });
    expect(executions()).toEqual({ fetch: 1, build: 2, test: 2, docs: 1 });
  });

  it('refuses a phase the flow does not have, and an unknown run, creating nothing', async () => {
    const first = await runFlow(flow());
    const before = (await store.listRuns(10)).length;
    await expect(engine.rerunRun({ runId: first.runId, fromPhase: 'deploy' })).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining('no such phase (phases: fetch, build, test, docs)') });
    await expect(engine.rerunPlan({ runId: 'nosuchrun1', fromPhase: 'build' })).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
    expect((await store.listRuns(10)).length).toBe(before);
  });
});
