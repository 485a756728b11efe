/** Stopping recorded process groups: real groups, real signals, never a stranger's group. */
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { IGNORES_TERM, OBEYS_TERM, groupExists, ignoresTerm, startGroup, type TestGroup } from '../testing/process-group';
import { waitFor } from '../testing/temp-dir';
import { groupAlive, processStartTime, stopGroup, type RecordedGroup } from './process-groups';

const HERE = 'this-host';
const started: TestGroup[] = [];

afterEach(() => started.splice(0).forEach((g) => g.kill()));

function group(script: string): TestGroup {
  const g = startGroup(script);
  started.push(g);
  return g;
}

/** What a Waymark process records when it spawns `g`. */
const recorded = (g: TestGroup, overrides: Partial<RecordedGroup> = {}): RecordedGroup => ({ host: HERE, pgid: g.pgid, startTime: processStartTime(g.pgid), ...overrides });

describe.runIf(process.platform === 'linux')('process groups (Linux)', () => {
  it('identifies a process by its start: stable for its life, different for another process', () => {
    const g = group(OBEYS_TERM);
    const first = processStartTime(g.pgid);
    expect(first).toMatch(/^[0-9a-f-]+:\d+$/);
    expect(processStartTime(g.pgid)).toBe(first);
    expect(processStartTime(process.pid)).not.toBe(first);
    const done = spawnSync(process.execPath, ['-e', '0']).pid as number;
    expect(processStartTime(done)).toBeNull();
  });

  it('stops a group with SIGTERM when it obeys', async () => {
    const g = group(OBEYS_TERM);
    const t0 = Date.now();
    expect(await stopGroup(recorded(g), { here: HERE, graceMs: 2_000 })).toBe('stopped');
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(groupAlive(g.pgid)).toBe(false);
  });

  it('SIGKILLs a group that ignores SIGTERM once the grace period is over', async () => {
    const g = group(IGNORES_TERM);
    await waitFor(() => ignoresTerm(g.pgid), 5_000, 'the shell to ignore SIGTERM');
    const t0 = Date.now();
    expect(await stopGroup(recorded(g), { here: HERE, graceMs: 300 })).toBe('killed');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect(groupAlive(g.pgid)).toBe(false);
  });

  it('never signals a group whose leader started at another time (a reused pid)', async () => {
    const g = group(OBEYS_TERM);
    const [boot, ticks] = (processStartTime(g.pgid) as string).split(':');
    const earlier = recorded(g, { startTime: `${boot}:${Number(ticks) - 1}` });
    expect(await stopGroup(earlier, { here: HERE, graceMs: 100 })).toBe('reused');
    const otherBoot = recorded(g, { startTime: `another-boot:${ticks}` });
    expect(await stopGroup(otherBoot, { here: HERE, graceMs: 100 })).toBe('reused');
    expect(groupAlive(g.pgid)).toBe(true);
  });

  it('leaves alone a group recorded on another host, or without a start identity', async () => {
    const g = group(OBEYS_TERM);
    expect(await stopGroup(recorded(g, { host: 'other-host' }), { here: HERE, graceMs: 100 })).toBe('elsewhere');
    expect(await stopGroup(recorded(g, { startTime: null }), { here: HERE, graceMs: 100 })).toBe('unverifiable');
    expect(groupAlive(g.pgid)).toBe(true);
  });

  it('reports a group that already ended as gone', async () => {
    const g = group(OBEYS_TERM);
    const row = recorded(g);
    g.kill();
    await waitFor(() => !groupExists(g.pgid), 5_000, 'the group to end');
    expect(await stopGroup(row, { here: HERE, graceMs: 100 })).toBe('gone');
  });
});
