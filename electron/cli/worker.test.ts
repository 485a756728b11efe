/**
 * Workers on one SQLite database (SPEC §6, §7), through real `waymark` processes:
 * `run --queue` returns at once, a `waymark worker` executes the run from its stored
 * definition under --workspace-root and stops cleanly on SIGTERM; a worker killed with
 * `kill -9` mid-run is found by the next one, which re-queues the run and finishes it
 * without running a completed phase again.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, exited, startCli, type RunningCli } from '../testing/cli-process';
import { killGroup } from '../testing/process-group';
import { tempDir, waitFor, type TempDir } from '../testing/temp-dir';

let dir: TempDir;
let db: string;
let root: string;
const workers: RunningCli[] = [];

beforeEach(() => {
  dir = tempDir('waymark-worker-');
  db = join(dir.path, 'queue.db');
  root = join(dir.path, 'root');
  mkdirSync(root);
});
afterEach(async () => {
  for (const w of workers.splice(0)) {
    if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    await exited(w);
  }
  // Command groups a killed worker left behind (each phase logs its shell's pid, the group id).
  for (const line of lines('pids')) killGroup(Number(line));
  dir.remove();
});

/** Lines of a file the phases append to, under the workspace root. */
function lines(name: string, under = join(root, 'work')): string[] {
  const file = join(under, name);
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

function worker(args: string[] = []): RunningCli {
  const w = startCli(db, ['worker', '--workspace-root', root, ...args]);
  workers.push(w);
  return w;
}

const show = (runId: string) => JSON.parse(cli(db, ['show', runId, '--json']).stdout) as { status: string; phases: { id: string; status: string; attempts: number; output: string | null }[] };

/**
 * `prepare` runs once; `slow` sleeps until the file `go` exists, so a test decides when
 * it may finish. Both count their runs in files under the relative workdir `work`.
 */
const FLOW = `name: queued
workdir: work
phases:
  - id: prepare
    kind: command
    run: echo ran >> prepare.count; echo prepared
  - id: slow
    kind: command
    depends_on: [prepare]
    run: |
      echo $$ >> pids; echo ran >> slow.count
      while [ ! -f go ]; do sleep 0.05; done
      echo after {{phases.prepare.output}}
`;

describe('waymark worker on SQLite', () => {
  it('run --queue returns at once; a worker runs it under --workspace-root and exits 0 on SIGTERM', async () => {
    const flow = dir.file('flow.yaml', FLOW);
    const submitted = cli(db, ['run', flow, '--queue', '--json']);
    expect(submitted.code).toBe(0);
    const doc = JSON.parse(submitted.stdout) as { runId: string };
    expect(doc).toMatchObject({ runId: expect.any(String), status: 'queued', error: null, phases: [], usage: { inputTokens: 0, costUsd: 0 } });
    expect(lines('prepare.count')).toEqual([]);

    const w = worker();
    await waitFor(() => lines('slow.count').length === 1, 20_000, 'the worker to start the run');
    const listed = cli(db, ['runs']).stdout;
    expect(listed).toMatch(/OWNER/);
    expect(listed).toContain(`:${w.pid}`);
    dir.file('root/work/go', '');
    await waitFor(() => w.output().stderr.includes(`run ${doc.runId} succeeded`), 20_000, 'the run to finish');
    expect(w.output().stderr).toContain(`claimed run ${doc.runId} (queued)`);
    w.kill('SIGTERM');
    expect(await exited(w)).toBe(0);
    expect(w.output().stdout).toBe('');
    expect(show(doc.runId)).toMatchObject({ status: 'succeeded', phases: [{ id: 'prepare', attempts: 1 }, { id: 'slow', output: 'after prepared' }] });
  });

  it('SIGTERM mid-run leaves the run interrupted (not re-queued); resume --queue hands it to the next worker, which reuses what completed', async () => {
    const flow = dir.file('flow.yaml', FLOW);
    const runId = cli(db, ['run', flow, '--queue']).stdout.trim();
    const first = worker();
    await waitFor(() => lines('slow.count').length === 1, 20_000, 'the slow phase to start');
    first.kill('SIGTERM');
    expect(await exited(first)).toBe(0);
    expect(show(runId).status).toBe('interrupted');
    expect(cli(db, ['runs']).stdout).toMatch(new RegExp(`${runId}\\s+interrupted`));

    const resubmitted = cli(db, ['resume', runId, '--queue', '--json']);
    expect(resubmitted.code).toBe(0);
    expect(JSON.parse(resubmitted.stdout)).toMatchObject({ runId, status: 'queued' });
    dir.file('root/work/go', '');
    const second = worker();
    await waitFor(() => show(runId).status === 'succeeded', 20_000, 'the resumed run to succeed');
    expect(lines('prepare.count')).toHaveLength(1);
    expect(lines('slow.count')).toHaveLength(2);
    second.kill('SIGTERM');
    expect(await exited(second)).toBe(0);
  });

  it('after kill -9 of a worker mid-run, the next worker re-queues the run and finishes it without re-running completed phases', async () => {
    const flow = dir.file('flow.yaml', FLOW);
    const runId = cli(db, ['run', flow, '--queue']).stdout.trim();
    const doomed = worker();
    await waitFor(() => lines('slow.count').length === 1, 20_000, 'the slow phase to start');
    doomed.kill('SIGKILL');
    await exited(doomed);
    dir.file('root/work/go', '');

    const rescuer = worker(['--concurrency', '2']);
    await waitFor(() => show(runId).status === 'succeeded', 20_000, 'the re-queued run to succeed');
    // Whichever Waymark process reaps first (this worker, or a `show` above) re-queues it.
    // (spawnSync blocks this process: the worker's output arrives after it returns.)
    await waitFor(() => rescuer.output().stderr.includes(`claimed run ${runId} (queued, after attempt 1)`), 5_000, 'the claim line');
    expect(lines('prepare.count')).toHaveLength(1);
    expect(lines('slow.count')).toHaveLength(2);
    expect(show(runId).phases).toMatchObject([{ id: 'prepare', status: 'succeeded', attempts: 1 }, { id: 'slow', status: 'succeeded', attempts: 2 }]);
    rescuer.kill('SIGINT');
    expect(await exited(rescuer)).toBe(0);
  });

  it('refuses a bad --concurrency or a missing --workspace-root with exit 2', () => {
    expect(cli(db, ['worker', '--concurrency', '0']).code).toBe(2);
    const missing = cli(db, ['worker', '--workspace-root', join(dir.path, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('is not a folder');
  });
});
