/**
 * Reaping without the engine (reap.ts), as `waymark runs` and `waymark show` do at start:
 * against a real SQLite store and a real process group that a dead owner left running.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newRun } from '../store/conformance/fixtures';
import { SqliteStore } from '../store/sqlite-store';
import type { Owner } from '../store/types';
import { OBEYS_TERM, groupExists, startGroup, type TestGroup } from '../testing/process-group';
import { tempDir, waitFor, type TempDir } from '../testing/temp-dir';
import { processStartTime } from './process-groups';
import { reapAtStart } from './reap';

const HOST = hostname();
const DEAD_OWNER: Owner = { id: 'dead', pid: 2 ** 22 + 3, host: HOST };
const LIVE_OWNER: Owner = { id: 'live', pid: process.pid, host: HOST };

let dir: TempDir;
let store: SqliteStore;
const groups: TestGroup[] = [];

beforeEach(async () => {
  dir = tempDir();
  store = await SqliteStore.open(join(dir.path, 'test.db'));
});

afterEach(async () => {
  groups.splice(0).forEach((g) => g.kill());
  await store.close();
  dir.remove();
});

describe('reapAtStart', () => {
  it('interrupts the runs of a dead owner, stops the group it left and forgets it; a live owner keeps its run', async () => {
    await store.createRun(newRun('run-dead'), DEAD_OWNER, Date.now());
    await store.createRun(newRun('run-live'), LIVE_OWNER, Date.now());
    const group = startGroup(OBEYS_TERM);
    groups.push(group);
    await store.recordProcess({ runId: 'run-dead', phaseId: 'research', attempt: 1, host: HOST, pgid: group.pgid, startTime: processStartTime(group.pgid), startedAt: Date.now() });
    // Opened again as `waymark runs` opens it: the writer thread starts when reaping writes.
    await store.close();
    store = await SqliteStore.openToRead(join(dir.path, 'test.db'));

    const { events, strays } = await reapAtStart(store, HOST);
    expect(events.map((e) => [e.runId, e.type])).toEqual([['run-dead', 'run.finished']]);
    expect((await store.getRun('run-dead'))?.status).toBe('interrupted');
    expect((await store.getRun('run-live'))?.status).toBe('running');
    expect(await strays).toEqual(['stopped']);
    expect(groupExists(group.pgid)).toBe(false);
    await waitFor(async () => (await store.processesOf('run-dead')).length === 0, 5_000, 'the row to be forgotten');
  });

  it('with nothing to reap changes nothing', async () => {
    await store.createRun(newRun('run-live'), LIVE_OWNER, Date.now());
    const { events, strays } = await reapAtStart(store, HOST);
    expect(events).toEqual([]);
    expect(await strays).toEqual([]);
    expect((await store.getRun('run-live'))?.lastSeq).toBe(1);
  });
});
