import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '../../testing/temp-dir';
import { commandEnv, isSecretName } from './tool-env';
import { runTool, type ToolContext } from '.';

let dir: TempDir;
let ctx: ToolContext;
beforeEach(() => {
  dir = tempDir('waymark-cmd-');
  ctx = { workdir: dir.path, env: { PATH: process.env.PATH }, signal: new AbortController().signal, sandbox: { hiddenPaths: [] } };
});
afterEach(() => {
  dir.remove();
  rmSync('/etc/waymark-tool-probe', { force: true }); // only there if the sandbox let a write through
});
const run = (input: unknown, c: ToolContext = ctx) => runTool(c, ['run_command'], 'run_command', input);

describe('run_command', () => {
  it('runs in the workspace and reports exit code, stdout and stderr; a non-zero exit is a normal result', async () => {
    const result = await run({ command: 'pwd; echo oops >&2; exit 3' });
    expect(result.ok).toBe(true);
    expect(result.text).toBe(`exit code 3\n--- stdout ---\n${dir.path}\n--- stderr ---\noops`);
  });

  it('strips provider keys and secret-looking variables from the environment', async () => {
    const env = commandEnv({ PATH: process.env.PATH, OPENAI_API_KEY: 'a', ANTHROPIC_API_KEY: 'b', MY_CRED: 'c', GITHUB_TOKEN: 'd', AWS_SECRET_ACCESS_KEY: 'e', DB_PASSWORD: 'f', KEEP_ME: 'g' }, ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'MY_CRED']);
    const result = await run({ command: 'env' }, { ...ctx, env });
    expect(result.text).toContain('KEEP_ME=g');
    for (const name of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'MY_CRED', 'GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'DB_PASSWORD']) expect(result.text).not.toContain(`${name}=`);
    expect(isSecretName('HOME')).toBe(false);
  });

  it('kills the whole process group on timeout and says so', async () => {
    const started = Date.now();
    const result = await run({ command: '(sleep 5; touch late.txt) & sleep 5', timeout_seconds: 1 });
    expect(result).toEqual({ ok: false, text: 'command timed out after 1s; its processes were killed' });
    expect(Date.now() - started).toBeLessThan(4_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(existsSync(join(dir.path, 'late.txt'))).toBe(false);
  });

  it('keeps only the end of long output', async () => {
    const result = await run({ command: 'seq 1 20000' });
    expect(result.text).toContain('[output cut: only the last 16000 bytes are shown]');
    expect(result.text.endsWith('20000')).toBe(true);
    expect(result.text.length).toBeLessThan(17_000);
  });

  it('rethrows an abort of the phase instead of reporting a result', async () => {
    const controller = new AbortController();
    const pending = run({ command: 'sleep 10' }, { ...ctx, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('shutdown')), 100);
    await expect(pending).rejects.toThrow('shutdown');
  });

  it('refuses to run without a working sandbox: the model and the phase log are told how to enable it', async () => {
    const log: string[] = [];
    const result = await run({ command: 'touch ran.txt' }, { ...ctx, sandbox: { hiddenPaths: [], bwrapPath: join(dir.path, 'missing-bwrap') }, onOutput: (_stream, text) => log.push(text) });
    expect(result).toEqual({ ok: false, text: expect.stringMatching(/^run_command refused: no sandbox works here: bubblewrap is not installed .*apt install bubblewrap/) });
    expect(log.join('')).toBe(`${result.text}\n`);
    expect(existsSync(join(dir.path, 'ran.txt'))).toBe(false);
  });

  // What the sandbox keeps out is tested in sandbox/sandbox.test.ts; this shows the tool uses it.
  it('runs in the sandbox: no view of the Waymark process, no writes outside the workspace', async () => {
    const result = await run({ command: 'echo "ppid=$PPID"; ls /proc | grep -c "^[0-9]"; touch /etc/waymark-tool-probe' });
    expect(result.text).toMatch(/ppid=1\n[1-5]\n/);
    expect(result.text).toContain('Read-only file system');
    expect(existsSync('/etc/waymark-tool-probe')).toBe(false);
  });

  it('validates arguments', async () => {
    expect(await run({})).toMatchObject({ ok: false, text: expect.stringContaining('invalid arguments for run_command') });
    expect(await run('{"command": ')).toMatchObject({ ok: false, text: expect.stringContaining('invalid arguments for run_command') });
    expect(await runTool(ctx, ['read_file'], 'run_command', { command: 'ls' })).toEqual({ ok: false, text: 'unknown tool "run_command"; available tools: read_file' });
  });
});
