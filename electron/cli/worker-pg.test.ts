/**
 * Teams on PostgreSQL (SPEC §7), through real `waymark` processes against a real server:
 * `--db postgres://...` for run, runs and show; two workers sharing six queued runs run
 * each exactly once; a run whose workers keep dying is re-queued three times, then left
 * `interrupted` with the reason. Fails (never skips) without a server.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { usePostgres } from '../store/postgres/pg-test-helpers';
import type { PostgresStore } from '../store/postgres/pg-store';
import { MAX_REQUEUES } from '../store/rules';
import { cli, exited, startCli, type RunningCli } from '../testing/cli-process';
import { killGroup } from '../testing/process-group';
import { tempDir, waitFor, type TempDir } from '../testing/temp-dir';

const pg$ = usePostgres();
let dir: TempDir;
let root: string;
let url: string;
let store: PostgresStore;
const workers: RunningCli[] = [];

beforeEach(async () => {
  dir = tempDir('waymark-worker-pg-');
  root = join(dir.path, 'root');
  mkdirSync(root);
  url = (await pg$.schema()).url;
  store = await pg$.open(url);
});
afterEach(async () => {
  for (const w of workers.splice(0)) {
    if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    await exited(w);
  }
  for (const line of lines('pids')) killGroup(Number(line));
  dir.remove();
});

const lines = (name: string): string[] => {
  const file = join(root, name);
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
};

function worker(args: string[] = []): RunningCli {
  const w = startCli(url, ['worker', '--workspace-root', root, ...args]);
  workers.push(w);
  return w;
}

describe('PostgreSQL: every command takes --db postgres://', () => {
  it('run, runs and show work against the server, with WAYMARK_DB or --db', async () => {
    const flow = dir.file('ok.yaml', 'name: ok\nphases:\n  - { id: a, kind: command, run: "echo hello" }\n');
    const ran = cli(join(dir.path, 'unused.db'), ['run', flow, '--db', url, '--json']);
    expect(ran.code).toBe(0);
    const doc = JSON.parse(ran.stdout) as { runId: string };
    expect(doc).toMatchObject({ status: 'succeeded', phases: [{ id: 'a', output: 'hello' }] });
    expect(JSON.parse(cli(url, ['runs', '--json']).stdout)).toEqual([{ runId: doc.runId, flow: 'ok', status: 'succeeded', startedAt: expect.any(String), usage: expect.objectContaining({ inputTokens: 0, costUsd: 0 }) }]);
    expect(JSON.parse(cli(url, ['show', doc.runId, '--json']).stdout)).toEqual(JSON.parse(ran.stdout));
    expect(existsSync(join(dir.path, 'unused.db'))).toBe(false);
    expect((await store.getRun(doc.runId))?.status).toBe('succeeded');
  });

  it('serve opens it too, and stops with exit 0', async () => {
    const server = startCli(join(dir.path, 'unused.db'), ['serve', '--port', '0', '--db', url, '--root', dir.path]);
    workers.push(server);
    await waitFor(() => /^Waymark is serving http:\/\/127\.0\.0\.1:\d+\/\?token=\w+$/m.test(server.output().stdout), 20_000, 'the URL line');
    server.kill('SIGTERM');
    expect(await exited(server)).toBe(0);
    expect(existsSync(join(dir.path, 'unused.db'))).toBe(false);
  });

  it('a server that cannot be reached is one line naming it, without its password', () => {
    const r = cli(join(dir.path, 'unused.db'), ['runs', '--db', 'postgres://ada:Sup3r-S3cret@127.0.0.1:1/waymark']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot connect to PostgreSQL at postgres://ada@127.0.0.1:1/waymark');
    expect(r.stderr).not.toContain('Sup3r-S3cret');
  });
});

describe('PostgreSQL: workers', () => {
  it('two workers sharing six queued runs execute each exactly once', async () => {
    const flow = dir.file('one.yaml', 'name: one\ninputs:\n  n: {}\nphases:\n  - { id: mark, kind: command, run: "echo $WAYMARK_INPUT_N >> ran; sleep 0.3" }\n');
    const [a, b] = [worker(), worker()];
    await waitFor(() => [a, b].every((w) => w.output().stderr.includes('Ctrl+C stops it')), 20_000, 'both workers to start');
    const ids = [1, 2, 3, 4, 5, 6].map((n) => cli(url, ['run', flow, '--input', `n=${n}`, '--queue']).stdout.trim());
    await waitFor(async () => (await Promise.all(ids.map((id) => store.getRun(id)))).every((r) => r?.status === 'succeeded'), 30_000, 'all six runs to succeed');
    expect(lines('ran').sort()).toEqual(['1', '2', '3', '4', '5', '6']);
    const claims = (w: RunningCli) => ids.filter((id) => w.output().stderr.includes(`claimed run ${id}`));
    await waitFor(() => claims(a).length + claims(b).length === 6, 5_000, 'the claim lines');
    expect(claims(a).filter((id) => claims(b).includes(id))).toEqual([]);
    expect(claims(a).length).toBeGreaterThan(0);
    expect(claims(b).length).toBeGreaterThan(0);
    for (const w of [a, b]) w.kill('SIGTERM');
    expect(await Promise.all([a, b].map(exited))).toEqual([0, 0]);
  });

  it(`a run whose worker keeps dying is re-queued ${MAX_REQUEUES} times, then left interrupted with the reason`, async () => {
    const flow = dir.file('slow.yaml', 'name: slow\nphases:\n  - { id: nap, kind: command, run: "echo $$ >> pids; sleep 20" }\n');
    const runId = cli(url, ['run', flow, '--queue']).stdout.trim();
    for (let life = 1; life <= MAX_REQUEUES + 1; life += 1) {
      const w = worker();
      await waitFor(async () => {
        const [run, phases] = [await store.getRun(runId), await store.getPhases(runId)];
        return run?.owner?.pid === w.pid && phases[0]?.status === 'running' && phases[0].attempts === life;
      }, 20_000, `worker ${life} to run the phase`);
      w.kill('SIGKILL');
      await exited(w);
    }
    // Any Waymark process reaps at start: here `runs`, which finds the last worker dead.
    expect(cli(url, ['runs']).stdout).toMatch(new RegExp(`${runId}\\s+interrupted`));
    const run = await store.getRun(runId);
    expect(run).toMatchObject({ status: 'interrupted', attempt: MAX_REQUEUES + 1, owner: null });
    expect(run?.error?.message).toContain(`not re-queued: its worker already died ${MAX_REQUEUES} times`);
    const requeues = (await store.eventsSince(runId, 0, 1_000)).flatMap((e) => (e.type === 'run.queued' && e.requeues !== undefined ? [e.requeues] : []));
    expect(requeues).toEqual([1, 2, 3]);
  });
});
