/**
 * The engine's process-group records (SPEC §4) against a real SQLite store and real
 * process groups: recorded at spawn, forgotten at the end, stopped when a dead owner
 * left them, and never a group of another host or a reused pid.
 */
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newRun } from '../store/conformance/fixtures';
import { SqliteStore } from '../store/sqlite-store';
import type { Owner } from '../store/types';
import { IGNORES_TERM, OBEYS_TERM, groupExists, ignoresTerm, startGroup, type TestGroup } from '../testing/process-group';
import { tempDir, waitFor, type TempDir } from '../testing/temp-dir';
import { Engine } from './engine';
import { PhaseProcesses } from './phase-processes';
import { processStartTime } from './process-groups';

const HOST = hostname();
const DEAD_OWNER: Owner = { id: 'dead', pid: 2 ** 22 + 1, host: HOST };

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

async function liveGroup(script: string): Promise<TestGroup> {
  const g = startGroup(script);
  groups.push(g);
  if (script === IGNORES_TERM) await waitFor(() => ignoresTerm(g.pgid), 5_000, 'the shell to ignore SIGTERM');
  return g;
}

/** A run whose owner died, reaped as the next Waymark process would. */
async function orphanedRun(runId: string): Promise<void> {
  await store.createRun(newRun(runId), DEAD_OWNER, Date.now());
  await store.reapOrphans((pid) => pid !== DEAD_OWNER.pid, Date.now(), 30_000);
}

const row = (runId: string, g: TestGroup, startTime = processStartTime(g.pgid), host = HOST) => ({ runId, phaseId: 'test', attempt: 1, host, pgid: g.pgid, startTime, startedAt: Date.now() });

describe('PhaseProcesses', () => {
  it('a command phase records its group, with the leader\'s start, while it runs, and forgets it when it ends', async () => {
    const engine = new Engine({ store });
    const flow = dir.file('flow.yaml', 'phases:\n  - { id: wait, kind: command, run: "echo $$ > sh.pid; while [ ! -f go ]; do sleep 0.02; done" }\n');
    const handle = await engine.startRun({ flowFile: flow });
    const pid = await waitFor(() => existsSync(join(dir.path, 'sh.pid')) && Number(readFileSync(join(dir.path, 'sh.pid'), 'utf8')), 10_000, 'the command to start');
    // The row is written right after the spawn (asynchronously: poll for it).
    const rows = await waitFor(async () => {
      const found = await store.processesOf(handle.runId);
      return found.length > 0 && found;
    }, 10_000, 'the group to be recorded');
    expect(rows).toEqual([
      { runId: handle.runId, phaseId: 'wait', attempt: 1, host: HOST, pgid: pid, startTime: processStartTime(pid), startedAt: expect.any(Number) },
    ]);
    dir.file('go', '');
    expect((await handle.done).status).toBe('succeeded');
    await waitFor(async () => (await store.processesOf(handle.runId)).length === 0, 10_000, 'the group to be forgotten');
  });

  it('stops what a dead owner left on this host, SIGKILLing a group that ignores SIGTERM, and forgets it', async () => {
    await orphanedRun('run-1');
    const stubborn = await liveGroup(IGNORES_TERM);
    const obedient = await liveGroup(OBEYS_TERM);
    await store.recordProcess(row('run-1', stubborn));
    await store.recordProcess(row('run-1', obedient));
    const t0 = Date.now();
    expect((await new PhaseProcesses(store, HOST, Date.now, 300).stopStrays()).sort()).toEqual(['killed', 'stopped']);
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect([groupExists(stubborn.pgid), groupExists(obedient.pgid)]).toEqual([false, false]);
    expect(await store.processesOf('run-1')).toEqual([]);
  });

  it('never stops a group recorded on another host, or whose leader started at another time (a reused pid)', async () => {
    await orphanedRun('run-1');
    const elsewhere = await liveGroup(OBEYS_TERM);
    const reused = await liveGroup(OBEYS_TERM);
    const otherHost = row('run-1', elsewhere, processStartTime(elsewhere.pgid), 'another-machine');
    await store.recordProcess(otherHost);
    await store.recordProcess(row('run-1', reused, 'some-earlier-boot:12345'));
    const processes = new PhaseProcesses(store, HOST, Date.now, 300);
    await processes.stopStrays();
    await processes.stopRun('run-1');
    expect([groupExists(elsewhere.pgid), groupExists(reused.pgid)]).toEqual([true, true]);
    // The other host's row stays for that host; the reused number is forgotten.
    expect(await store.processesOf('run-1')).toEqual([otherHost]);
  });

  it('stopRun stops only the groups of that run', async () => {
    await orphanedRun('run-1');
    await orphanedRun('run-2');
    const mine = await liveGroup(OBEYS_TERM);
    const theirs = await liveGroup(OBEYS_TERM);
    await store.recordProcess(row('run-1', mine));
    await store.recordProcess(row('run-2', theirs));
    await new PhaseProcesses(store, HOST, Date.now, 300).stopRun('run-1');
    expect([groupExists(mine.pgid), groupExists(theirs.pgid)]).toEqual([false, true]);
    expect(await store.processesOf('run-2')).toHaveLength(1);
  });

  it('killAllNow SIGKILLs every group it tracks, at once; a failed record is reported, never thrown', async () => {
    await store.createRun(newRun('run-1'), { id: 'me', pid: process.pid, host: HOST }, Date.now());
    const processes = new PhaseProcesses(store, HOST, Date.now);
    const tracked = await liveGroup(IGNORES_TERM);
    const forgotten = await liveGroup(IGNORES_TERM);
    const failures: unknown[] = [];
    const { forget } = processes.track({ runId: 'run-1', phaseId: 'test', attempt: 1 }, tracked.pgid, (err) => failures.push(err));
    const { forget: ghost } = processes.track({ runId: 'ghost', phaseId: 'test', attempt: 1 }, forgotten.pgid, (err) => failures.push(err));
    await waitFor(() => failures.length > 0, 5_000, 'the failed record to be reported');
    expect(failures).toMatchObject([{ code: 'RUN_NOT_FOUND' }]);
    ghost();
    expect(processes.killAllNow()).toBe(1);
    await waitFor(() => !groupExists(tracked.pgid), 2_000, 'the tracked group to die');
    expect(groupExists(forgotten.pgid)).toBe(true);
    forget();
    await waitFor(async () => (await store.processesOf('run-1')).length === 0, 5_000, 'the ended group to be forgotten');
  });
});
