/**
 * The sandbox with real bubblewrap and real processes: what a sandboxed command can see
 * and do. The test folders live under /var/tmp, not /tmp: the sandbox replaces /tmp with
 * a private one, which would hide a canary there whether or not the masks work.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toErrorData } from '../../../shared/errors';
import { waitFor } from '../../testing/temp-dir';
import { runShellCommand } from '../child-process';
import { databaseFiles, type SandboxSettings } from './settings';
import { sandboxLaunch } from '.';

const CANARY = 'sk-canary-5b1f0c9e7d2a4e8f';
const ETC_PROBE = '/etc/waymark-sandbox-probe';
let base: string;
let ws: string;
let home: string;
let data: string;
let db: string;
let other: string;

beforeAll(() => {
  base = mkdtempSync('/var/tmp/waymark-sandbox-');
  [ws, home, data, other] = ['ws', 'home', 'data', 'other'].map((name) => join(base, name)) as [string, string, string, string];
  for (const dir of [ws, join(home, '.ssh'), data, other]) mkdirSync(dir, { recursive: true });
  db = join(data, 'waymark.db');
  writeFileSync(db, `SQLite format 3\0 ${CANARY}`);
  writeFileSync(join(data, 'secrets.json'), `{"OPENAI_API_KEY":"${CANARY}"}`);
  writeFileSync(join(home, '.ssh', 'id_ed25519'), CANARY);
  writeFileSync(join(other, 'notes.txt'), 'readable');
});
afterAll(() => {
  rmSync(base, { recursive: true, force: true });
  rmSync(ETC_PROBE, { force: true }); // only there if the sandbox let a write through
});

const settings = (extra: Partial<SandboxSettings> = {}): SandboxSettings => ({ hiddenPaths: [home, data, ...databaseFiles(db)], ...extra });

async function sh(command: string, options: { network?: boolean; workspace?: string; settings?: SandboxSettings; signal?: AbortSignal } = {}) {
  const workspace = options.workspace ?? ws;
  const launch = await sandboxLaunch({ workspace, network: options.network ?? false, settings: options.settings ?? settings(), env: { PATH: process.env.PATH, HOME: home } });
  const result = await runShellCommand(command, { cwd: workspace, env: launch.env, launcher: launch.launcher, signal: options.signal ?? AbortSignal.timeout(10_000) });
  return { ...result, all: result.stdout + result.stderr };
}

describe('sandbox (bubblewrap)', () => {
  it('shows no process outside the sandbox: /proc, ps and the environment reveal nothing of Waymark', async () => {
    // Control: unsandboxed, this probe does find the test process's own environment.
    const control = await runShellCommand(`tr '\\0' '\\n' < /proc/$PPID/environ | grep -c '^VITEST'`, { cwd: ws, env: { PATH: process.env.PATH }, signal: AbortSignal.timeout(5_000) });
    expect(Number(control.stdout)).toBeGreaterThan(0);

    const r = await sh(`echo "ppid=$PPID"; tr '\\0' '\\n' < /proc/$PPID/environ; cat /proc/*/environ | tr '\\0' '\\n' | grep -c '^VITEST'; ps -eo pid,comm --no-headers; ps eww; env`);
    expect(r.stdout).toContain('ppid=1');
    expect(r.stdout).not.toContain('VITEST');
    expect(r.stdout).toMatch(/^0$/m);
    // The only processes are the sandbox's own: bwrap's init, the shell, ps.
    const pids = [...r.stdout.matchAll(/^\s*(\d+) (\S+)$/gm)].map((m) => m[2]);
    expect(pids.every((comm) => ['bwrap', 'sh', 'ps'].includes(comm as string)), pids.join(',')).toBe(true);
    // The environment is exactly the one given (plus the private TMPDIR).
    expect(r.stdout).toContain(`HOME=${home}`);
    expect(r.stdout).toContain('TMPDIR=/tmp');
  });

  it('hides the home folder, the data folder and the database file', async () => {
    const r = await sh(`cat ${db}; ls -A ${data}; ls -A ${home}; grep -r canary ${home} ${data} $HOME; cat $HOME/.ssh/id_ed25519; cat ${join(other, 'notes.txt')}`);
    expect(r.all).not.toContain(CANARY);
    expect(r.all).not.toContain('secrets.json');
    expect(r.all).toContain('readable'); // the rest of the machine stays readable
  });

  it('hides a database kept inside the workspace, but nothing else of the workspace', async () => {
    const inner = join(ws, 'proj');
    mkdirSync(inner, { recursive: true });
    writeFileSync(join(inner, 'waymark.db'), CANARY);
    writeFileSync(join(inner, 'waymark.db-wal'), CANARY);
    writeFileSync(join(inner, 'README'), 'project');
    const r = await sh('cat waymark.db waymark.db-wal; cat README; echo ok > made.txt && cat made.txt', { workspace: inner, settings: { hiddenPaths: [inner, ...databaseFiles(join(inner, 'waymark.db'))] } });
    expect(r.all).not.toContain(CANARY);
    expect(r.stdout).toContain('project');
    expect(readFileSync(join(inner, 'made.txt'), 'utf8')).toBe('ok\n');
    expect(readFileSync(join(inner, 'waymark.db'), 'utf8')).toBe(CANARY); // masked, not emptied
  });

  it('writes only inside the workspace and cannot undo its mounts, even as root', async () => {
    const r = await sh(
      [
        `touch ${ETC_PROBE} && echo WROTE-etc`,
        `touch ${join(other, 'x')} && echo WROTE-other`,
        `touch ${join(data, 'x')}`,
        'touch $HOME/x',
        'echo private > /tmp/waymark-private',
        'umount $HOME && echo UNMOUNTED',
        'grep CapEff /proc/self/status',
        "sh -c 'echo hi > out.txt'",
      ].join('; '),
    );
    expect(r.all).not.toMatch(/WROTE|UNMOUNTED/);
    expect(r.stdout).toMatch(/CapEff:\s+0+\n/);
    expect(r.stderr).toContain('Read-only file system');
    expect(existsSync(ETC_PROBE)).toBe(false);
    expect(readdirSync(other)).toEqual(['notes.txt']);
    expect(readdirSync(data).sort()).toEqual(['secrets.json', 'waymark.db']);
    expect(existsSync(join(home, 'x'))).toBe(false); // the home the command saw was a throwaway
    expect(existsSync('/tmp/waymark-private')).toBe(false);
    expect(readFileSync(join(ws, 'out.txt'), 'utf8')).toBe('hi\n');
  });

  describe('network', () => {
    let server: Server;
    let url: string;
    beforeAll(async () => {
      server = createServer((_req, res) => res.end('reached'));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));
    const probe = () => `node -e "fetch('${url}').then(r => r.text()).then(t => console.log('got', t), e => console.log('failed', e.cause?.code ?? e.message))"`;

    it('has no network by default', async () => {
      const r = await sh(probe());
      expect(r.stdout).toMatch(/^failed E/);
    });

    it('has the network with network: true', async () => {
      const r = await sh(probe(), { network: true });
      expect(r.stdout.trim()).toBe('got reached');
    });
  });

  it('runs ordinary work: git, node, python, make', async () => {
    const work = join(ws, 'build');
    mkdirSync(work, { recursive: true });
    writeFileSync(join(work, 'Makefile'), 'out/app.txt: src.txt\n\tmkdir -p out && cp src.txt out/app.txt\n');
    const r = await sh(
      [
        'set -e',
        'echo source > src.txt',
        'git init -q && git add . && git -c user.name=W -c user.email=w@example.com commit -qm init && git log --oneline | wc -l',
        `node -e "require('fs').writeFileSync('from-node.txt', String(6 * 7))"`,
        `python3 -c "open('from-python.txt', 'w').write('py')"`,
        'make -s',
      ].join('\n'),
      { workspace: work },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('1');
    expect(readFileSync(join(work, 'from-node.txt'), 'utf8')).toBe('42');
    expect(readFileSync(join(work, 'from-python.txt'), 'utf8')).toBe('py');
    expect(readFileSync(join(work, 'out', 'app.txt'), 'utf8')).toBe('source\n');
    expect(existsSync(join(work, '.git', 'HEAD'))).toBe(true);
  });

  it('ends every process in the sandbox when its process group is killed, even one that left the session', async () => {
    const marker = `${30 + Math.random()}`; // a unique `sleep` argument to find the process by
    const controller = new AbortController();
    const pending = sh(`setsid sleep ${marker} > /dev/null 2>&1 < /dev/null & echo started; sleep ${marker}`, { signal: controller.signal });
    const sleepers = () => readdirSync('/proc').filter((pid) => /^\d+$/.test(pid) && readCmdline(pid) === `sleep\0${marker}\0`);
    await waitFor(() => sleepers().length === 2, 5_000, 'both sleeps to start');
    controller.abort(new Error('cancelled'));
    await expect(pending).rejects.toThrow('cancelled');
    await waitFor(() => sleepers().length === 0, 5_000, 'every sandboxed process to end');
  });

  it('ends every process in the sandbox when the Waymark process that started it is killed -9', async () => {
    const marker = `${30 + Math.random()}`;
    const launch = await sandboxLaunch({ workspace: ws, network: false, settings: settings(), env: { PATH: process.env.PATH } });
    const argv = [...launch.launcher, '/bin/sh', '-c', `setsid sleep ${marker} & sleep ${marker}`];
    // A stand-in parent that is not the test process, so it can be killed.
    const parent = spawn(process.execPath, ['-e', `require('child_process').spawn(${JSON.stringify(argv[0])}, ${JSON.stringify(argv.slice(1))}, { stdio: 'ignore' }); setInterval(() => {}, 1000)`], { stdio: 'ignore' });
    const sleepers = () => readdirSync('/proc').filter((pid) => /^\d+$/.test(pid) && readCmdline(pid) === `sleep\0${marker}\0`);
    try {
      await waitFor(() => sleepers().length === 2, 5_000, 'both sleeps to start');
    } finally {
      parent.kill('SIGKILL');
    }
    await waitFor(() => sleepers().length === 0, 5_000, 'every sandboxed process to end');
  });

  it('refuses, saying how to enable it, when bubblewrap is missing', async () => {
    const err = await sh('true', { settings: settings({ bwrapPath: join(base, 'no-such-bwrap') }) }).catch((e: unknown) => e);
    expect(toErrorData(err)).toMatchObject({ code: 'SANDBOX_UNAVAILABLE', message: expect.stringContaining('bubblewrap is not installed') });
    expect(toErrorData(err).message).toContain('apt install bubblewrap');
  });

  it('refuses when bubblewrap is there but cannot create its namespaces', async () => {
    const broken = join(base, 'broken-bwrap');
    writeFileSync(broken, '#!/bin/sh\necho "bwrap: No permissions to create new namespace" >&2\nexit 1\n', { mode: 0o755 });
    const err = await sh('true', { settings: settings({ bwrapPath: broken }) }).catch((e: unknown) => e);
    expect(toErrorData(err).message).toContain('bubblewrap does not work here: bwrap: No permissions to create new namespace');
    expect(toErrorData(err).message).toContain('unprivileged user namespaces');
  });
});

function readCmdline(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}
