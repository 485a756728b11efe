/**
 * The worker loop in one process (SPEC §7): concurrency, runs from the stored definition
 * with relative workdirs under the workspace root, a definition that no longer loads,
 * a clean stop, and submitting through the engine (run/resume --queue).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newRun } from '../store/conformance/fixtures';
import { MemoryStore } from '../store/memory-store';
import { tempDir, waitFor, type TempDir } from '../testing/temp-dir';
import { Engine } from './engine';
import { Worker } from './worker';

let dir: TempDir;
let store: MemoryStore;
let engine: Engine;
let worker: Worker | undefined;
let logged: string[];

beforeEach(() => {
  dir = tempDir('waymark-worker-unit-');
  mkdirSync(join(dir.path, 'root'));
  store = new MemoryStore();
  engine = new Engine({ store, heartbeatMs: 50 });
  logged = [];
});
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
  dir.remove();
});

function startWorker(concurrency = 1): Promise<void> {
  worker = new Worker({ engine, concurrency, workspaceRoot: join(dir.path, 'root'), pollMs: 20, reapMs: 60_000, log: (line) => logged.push(line) });
  return worker.start();
}

const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '');

describe('Worker', () => {
  it('runs queued runs at most `concurrency` at once, from the stored definition, with workdir under the root', async () => {
    const flow = dir.file('f.yaml', 'name: f\nworkdir: out\nphases:\n  - { id: a, kind: command, run: "echo start >> log; sleep 0.2; echo end >> log; pwd" }\n');
    const runs = await Promise.all([1, 2, 3].map(() => engine.enqueueRun({ flowFile: flow })));
    expect(runs.map((r) => r.status)).toEqual(['queued', 'queued', 'queued']);
    await startWorker(2);
    let most = 0;
    await waitFor(async () => {
      most = Math.max(most, worker?.running ?? 0);
      return (await Promise.all(runs.map((r) => store.getRun(r.id)))).every((r) => r?.status === 'succeeded');
    }, 10_000, 'every run to succeed');
    expect(most).toBe(2);
    const log = read(join(dir.path, 'root', 'out', 'log')).split('\n').filter(Boolean);
    expect(log.filter((l) => l === 'start')).toHaveLength(3);
    expect((await store.getPhases(runs[0]?.id ?? ''))[0]?.output).toBe(join(dir.path, 'root', 'out'));
    expect((await store.getRun(runs[0]?.id ?? ''))?.flowFile).toBe(flow);
    expect(logged.filter((l) => l.startsWith('claimed run'))).toHaveLength(3);
  });

  it('records a run whose stored definition no longer loads as failed, and goes on with the next', async () => {
    await store.enqueueRun(newRun('broken', { flowSource: 'phases: [' }), 1);
    const good = await engine.enqueueRun({ flowFile: dir.file('ok.yaml', 'name: ok\nphases:\n  - { id: a, kind: command, run: "echo fine" }\n') });
    await startWorker();
    await waitFor(async () => (await store.getRun(good.id))?.status === 'succeeded', 10_000, 'the good run');
    expect(await store.getRun('broken')).toMatchObject({ status: 'failed', owner: null, error: { code: 'FLOW_INVALID' } });
    expect(logged).toContain(`run broken failed: ${(await store.getRun('broken'))?.error?.message}`);
  });

  it('stop() interrupts its runs (resumable, not re-queued) and claims nothing more', async () => {
    const flow = dir.file('slow.yaml', 'name: slow\nphases:\n  - { id: nap, kind: command, run: "sleep 20" }\n');
    const run = await engine.enqueueRun({ flowFile: flow });
    await startWorker();
    await waitFor(async () => (await store.getPhases(run.id))[0]?.status === 'running', 10_000, 'the phase to start');
    const later = await engine.enqueueRun({ flowFile: flow });
    await worker?.stop();
    worker = undefined;
    expect((await store.getRun(run.id))?.status).toBe('interrupted');
    expect((await store.getRun(later.id))?.status).toBe('queued');
    const resumed = await engine.enqueueResume({ runId: run.id });
    expect(resumed).toMatchObject({ status: 'queued', attempt: 1 });
  });

  it('the engine refuses to queue what it would refuse to run or resume', async () => {
    await expect(engine.enqueueRun({ flowFile: dir.file('bad.yaml', 'phases: [') })).rejects.toMatchObject({ code: 'FLOW_INVALID' });
    await expect(engine.enqueueResume({ runId: 'nope' })).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
    const queued = await engine.enqueueRun({ flowFile: dir.file('ok.yaml', 'name: ok\nphases:\n  - { id: a, kind: command, run: "true" }\n') });
    await expect(engine.enqueueResume({ runId: queued.id })).rejects.toMatchObject({ code: 'RUN_NOT_RESUMABLE' });
    await expect(engine.resumeRun({ runId: queued.id })).rejects.toMatchObject({ code: 'RUN_NOT_RESUMABLE', message: expect.stringContaining('queued') });
    expect(await store.listRuns(10)).toHaveLength(1);
  });
});
