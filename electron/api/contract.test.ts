/**
 * The API contract end to end (STYLE rule 3): the handlers behind `dispatch`, mounted on
 * the in-memory transport, over a real Engine and SqliteStore and real flow files.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiEvent, WaymarkApi } from '../../shared/api';
import { createInMemoryApi } from '../transport/in-memory';
import { FAKE_AGENT_STEPS, FLOWS, createApiFixture, finished, recordEvents, refusal, runToEnd as runFlowToEnd, type ApiFixture } from './api-fixtures';

let fx: ApiFixture;
let api: WaymarkApi;

beforeEach(async () => {
  fx = await createApiFixture();
  api = createInMemoryApi(fx.server);
});
afterEach(() => fx.cleanup());

const rejection = refusal;
const runToEnd = (flowPath: string, inputs: Record<string, string> = {}) => runFlowToEnd(api, flowPath, inputs);

describe('runs', () => {
  it('starts a run, streams its events in seq order, and snapshots it', async () => {
    const { runId, end, events } = await runToEnd('hello.yaml', { name: 'Ada' });
    expect(end.status).toBe('succeeded');
    const seqs = events.flatMap((e) => ('seq' in e ? [e.seq] : []));
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(events.some((e) => e.type === 'phase.log')).toBe(true);

    const detail = await api['runs.get']({ runId });
    expect(detail.run.status).toBe('succeeded');
    expect(detail.lastSeq).toBe(seqs[seqs.length - 1]);
    expect(detail.phases.map((p) => [p.phaseId, p.status, p.output])).toEqual([
      ['greet', 'succeeded', 'Hello, Ada!'],
      ['shout', 'succeeded', 'HELLO, ADA!'],
    ]);
    expect(detail.attempts).toHaveLength(1);
    expect(detail.frontier).toEqual([]);
    expect(detail.live).toBe(false);

    const list = await api['runs.list']({});
    expect(list.runs.map((r) => r.id)).toContain(runId);
    expect(list.next).toBeNull();
  });

  it('answers runs.start as soon as the run exists, while it is still running', async () => {
    const rec = recordEvents(api);
    const { runId } = await api['runs.start']({ flowPath: 'slow.yaml' });
    await rec.until((e): e is ApiEvent => e.type === 'phase.started' && e.runId === runId);
    const detail = await api['runs.get']({ runId });
    expect(detail.run.status).toBe('running');
    expect(detail.live).toBe(true);
    expect(await api['runs.cancel']({ runId })).toEqual({ cancelled: true });
    const end = await rec.until(finished(runId));
    expect(end.status).toBe('cancelled');
    const after = await api['runs.get']({ runId });
    expect(after.run.status).toBe('cancelled');
    expect(after.live).toBe(false);
    expect(after.frontier).toEqual(['nap']);
    expect(await api['runs.cancel']({ runId })).toEqual({ cancelled: false });
    rec.dispose();
  });

  it('pages through a transcript', async () => {
    const { runId, end } = await runToEnd('chat.yaml');
    expect(end.status).toBe('succeeded');
    const first = await api['runs.transcript']({ runId, phaseId: 'talk', limit: 3 });
    expect(first.entries.map((e) => e.index)).toEqual([0, 1, 2]);
    expect(first.entries[0]?.content).toEqual({ text: 'step 0' });
    expect(first.nextIndex).toBe(3);
    const second = await api['runs.transcript']({ runId, phaseId: 'talk', fromIndex: 3, limit: 3 });
    expect(second.entries.map((e) => e.index)).toEqual([3, 4, 5]);
    const last = await api['runs.transcript']({ runId, phaseId: 'talk', fromIndex: second.nextIndex as number, limit: 3 });
    expect(last.entries.map((e) => e.index)).toEqual([6]);
    expect(last.nextIndex).toBeNull();
    const all = await api['runs.transcript']({ runId, phaseId: 'talk' });
    expect(all.entries).toHaveLength(FAKE_AGENT_STEPS);
    expect(all.nextIndex).toBeNull();
  });

  it('previews a resume, then resumes without re-running completed phases', async () => {
    const { runId, end } = await runToEnd('fails.yaml');
    expect(end.status).toBe('failed');
    const detail = await api['runs.get']({ runId });
    expect(detail.frontier).toEqual(['build']);
    expect(detail.reuse).toBeNull(); // never resumed

    expect(await api['runs.previewResume']({ runId })).toEqual({
      reused: ['fetch'],
      frontier: ['build'],
      rerun: [
        { id: 'build', reason: 'failed-before' },
        { id: 'ship', reason: 'never-ran' },
      ],
    });
    expect(await api['runs.previewResume']({ runId, restartPhase: 'fetch' })).toEqual({
      reused: [],
      frontier: ['fetch'],
      rerun: [
        { id: 'fetch', reason: 'restart-requested' },
        { id: 'build', reason: 'failed-before' },
        { id: 'ship', reason: 'never-ran' },
      ],
    });

    const rec = recordEvents(api);
    expect(await api['runs.resume']({ runId })).toEqual({ runId });
    const resumed = await rec.until(finished(runId));
    expect(resumed.status).toBe('succeeded');
    const started = rec.events.filter((e) => e.type === 'phase.started' && e.runId === runId).map((e) => (e as { phaseId: string }).phaseId);
    expect(started).toEqual(['build', 'ship']);
    const after = await api['runs.get']({ runId });
    expect(after.attempts).toHaveLength(2);
    expect(after.phases.find((p) => p.phaseId === 'ship')?.output).toBe('shipped built');
    expect(after.reuse).toMatchObject({ resumes: 1, reusedPhases: 1, rerunPhases: [] }); // `fetch` reused
    expect((await rejection(api['runs.previewResume']({ runId }))).code).toBe('RUN_NOT_RESUMABLE');
    rec.dispose();
  });

  it('computes the frontier from the current flow file, falling back when it no longer loads', async () => {
    const { runId } = await runToEnd('fails.yaml');
    writeFileSync(join(fx.root, 'fails.yaml'), (FLOWS['fails.yaml'] as string).replace('echo fetched', 'echo fetched again'));
    expect((await api['runs.get']({ runId })).frontier).toEqual(['fetch']);
    expect((await api['runs.previewResume']({ runId })).rerun[0]).toEqual({ id: 'fetch', reason: 'changed' });

    writeFileSync(join(fx.root, 'fails.yaml'), 'name: fails\nphases: [oops\n');
    expect((await api['runs.get']({ runId })).frontier).toEqual(['build']);
    expect((await rejection(api['runs.previewResume']({ runId }))).code).toBe('FLOW_INVALID');

    rmSync(join(fx.root, 'fails.yaml'));
    expect((await api['runs.previewResume']({ runId })).frontier).toEqual(['build']);
  });

  it('reports unknown runs and phases with codes', async () => {
    expect((await rejection(api['runs.get']({ runId: 'nosuchrun0' }))).code).toBe('RUN_NOT_FOUND');
    expect((await rejection(api['runs.resume']({ runId: 'nosuchrun0' }))).code).toBe('RUN_NOT_FOUND');
    expect((await rejection(api['runs.resume']({ runId: 'nosuchrun0', budgetUsd: 0 }))).message).toContain('the budget must be more than 0 US dollars');
    expect((await rejection(api['runs.cancel']({ runId: 'nosuchrun0' }))).code).toBe('RUN_NOT_FOUND');
    expect((await rejection(api['runs.transcript']({ runId: 'nosuchrun0', phaseId: 'a' }))).code).toBe('RUN_NOT_FOUND');
    const { runId } = await runToEnd('fails.yaml');
    expect((await rejection(api['runs.previewResume']({ runId, restartPhase: 'nope' }))).code).toBe('USAGE');
    expect((await rejection(api['runs.start']({ flowPath: 'broken.yaml' }))).code).toBe('FLOW_INVALID');
    expect((await rejection(api['runs.start']({ flowPath: 'missing.yaml' }))).code).toBe('FLOW_NOT_FOUND');
    expect((await rejection(api['runs.start']({ flowPath: 'nested' }))).code).toBe('FLOW_NOT_FOUND');
    execFileSync('mkfifo', [join(fx.root, 'pipe.yaml')]);
    expect((await rejection(api['runs.start']({ flowPath: 'pipe.yaml' }))).code).toBe('FLOW_NOT_FOUND');
    expect((await rejection(api['flows.open']({ path: 'pipe.yaml' }))).code).toBe('FLOW_NOT_FOUND');
    expect((await api['flows.list']({})).map((f) => f.path)).not.toContain('pipe.yaml');
  });
});
