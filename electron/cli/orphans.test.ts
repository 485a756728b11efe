/**
 * No orphaned commands (SPEC §4): after the owner of a run dies, the command it started
 * is stopped before a resume runs the phase again, and a second Ctrl+C leaves no child
 * behind even when it ignores SIGTERM. Real `waymark` processes, real process groups.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { wsUrlForPage } from '../../shared/ws-protocol';
// eslint-disable-next-line no-restricted-imports -- the test plays the browser
import { createWsApi, type SocketLike } from '../../renderer/api/ws-client';
import { cli, exited, startCli } from '../testing/cli-process';
import { groupExists, killGroup } from '../testing/process-group';
import { tempDir, waitFor, type TempDir } from '../testing/temp-dir';

let dir: TempDir;
let db: string;
/** Groups a test started; killed afterwards whatever happened. */
const groups: number[] = [];

beforeEach(() => {
  dir = tempDir('waymark-orphans-');
  db = join(dir.path, 'cli.db');
});
afterEach(() => {
  groups.splice(0).forEach(killGroup);
  dir.remove();
});

/**
 * A phase that logs `start PID` and then, until the file `resumed` exists, ignores
 * SIGTERM (inherited by `sleep`) and appends `tick PID` lines forever.
 */
const STUBBORN = `phases:
  - id: loop
    kind: command
    run: |
      echo "start $$" >> ticks
      if [ -f resumed ]; then echo done; exit 0; fi
      trap '' TERM
      while :; do echo "tick $$" >> ticks; sleep 0.05; done
`;

const lines = () => (existsSync(join(dir.path, 'ticks')) ? readFileSync(join(dir.path, 'ticks'), 'utf8').split('\n').filter(Boolean) : []);
const ticksOf = (pid: number) => lines().filter((l) => l === `tick ${pid}`).length;
const firstPid = (): number | false => {
  const start = lines().find((l) => l.startsWith('start '));
  return start ? Number(start.slice('start '.length)) : false;
};

describe('orphaned commands', () => {
  it('after kill -9 of its owner, resume stops the old command group before running the phase again', async () => {
    const flow = dir.file('stubborn.yaml', STUBBORN);
    const owner = startCli(db, ['run', flow]);
    const oldPid = await waitFor(firstPid, 20_000, 'the phase to start');
    groups.push(oldPid);
    await waitFor(() => ticksOf(oldPid) >= 2, 10_000, 'the first ticks');
    owner.kill('SIGKILL');
    await exited(owner);
    // The bug this guards against: the group outlives its owner and keeps working.
    const ticksAtDeath = ticksOf(oldPid);
    await waitFor(() => ticksOf(oldPid) > ticksAtDeath, 5_000, 'the orphan to keep ticking');
    expect(groupExists(oldPid)).toBe(true);

    const runId = (JSON.parse(cli(db, ['runs', '--json']).stdout) as { runId: string }[])[0]?.runId as string;
    dir.file('resumed', '');
    const resumed = cli(db, ['resume', runId, '--json']);
    expect(resumed.stderr).not.toContain('error');
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: 'succeeded', phases: [{ id: 'loop', output: 'done', attempts: 2 }] });
    // Killed, at most a zombie left for init to reap (a live copy would never vanish).
    await waitFor(() => !groupExists(oldPid), 2_000, 'the old group to be gone');
    // The old copy never ran beside the new one: no tick of it after the new start.
    const all = lines();
    const newStart = all.findIndex((l, i) => i > 0 && l.startsWith('start '));
    expect(newStart).toBeGreaterThan(0);
    expect(all.slice(newStart).filter((l) => l === `tick ${oldPid}`)).toEqual([]);
  });

  it('a second SIGINT exits at once and leaves no child that ignores SIGTERM', async () => {
    const flow = dir.file('stubborn.yaml', STUBBORN);
    const owner = startCli(db, ['run', flow]);
    const pid = await waitFor(firstPid, 20_000, 'the phase to start');
    groups.push(pid);
    await waitFor(() => ticksOf(pid) >= 1, 10_000, 'the first tick');
    owner.kill('SIGINT');
    await waitFor(() => owner.output().stderr.includes('press again to quit at once'), 10_000, 'the first SIGINT to be handled');
    owner.kill('SIGINT');
    expect(await exited(owner)).toBe(3);
    await waitFor(() => !groupExists(pid), 1_500, 'the command group to be gone');
  });

  it('waymark serve: a second SIGINT leaves no child that ignores SIGTERM either', async () => {
    dir.file('stubborn.yaml', STUBBORN);
    const server = startCli(db, ['serve', '--port', '0', '--root', dir.path]);
    const url = await waitFor(() => /^Waymark is serving (\S+)$/m.exec(server.output().stdout)?.[1], 20_000, 'the URL line');
    const api = createWsApi(wsUrlForPage(url) as string, { WebSocket: WebSocket as unknown as new (url: string) => SocketLike });
    try {
      await api['runs.start']({ flowPath: 'stubborn.yaml' });
      const pid = await waitFor(firstPid, 20_000, 'the phase to start');
      groups.push(pid);
      await waitFor(() => ticksOf(pid) >= 1, 10_000, 'the first tick');
      server.kill('SIGINT');
      await waitFor(() => server.output().stderr.includes('press again to quit at once'), 10_000, 'the first SIGINT to be handled');
      server.kill('SIGINT');
      expect(await exited(server)).toBe(3);
      await waitFor(() => !groupExists(pid), 1_500, 'the command group to be gone');
    } finally {
      api.close();
      if (server.exitCode === null) server.kill('SIGKILL');
    }
  });
});
