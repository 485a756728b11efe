/**
 * The CLI contract of SPEC §6, tested through real `waymark` processes: exit codes,
 * `--json` shapes, signals, `kill -9` followed by resume, and two processes racing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli as cliOn, exited, startCli } from '../testing/cli-process';
import { tempDir, waitFor, type TempDir } from '../testing/temp-dir';

let dir: TempDir;
let db: string;

beforeEach(() => {
  dir = tempDir('waymark-cli-');
  db = join(dir.path, 'cli.db');
});
afterEach(() => dir.remove());

const cli = (args: string[]) => cliOn(db, args);
const start = (args: string[]) => startCli(db, args);
const count = (name: string) => (existsSync(join(dir.path, name)) ? readFileSync(join(dir.path, name), 'utf8').length : 0);

describe('waymark CLI', () => {
  it('run --json prints the run document and exits 0; runs and show agree', () => {
    const flow = dir.file('ok.yaml', 'name: ok\nphases:\n  - { id: a, kind: command, run: "echo hello" }\n  - { id: b, kind: command, depends_on: [a], run: "echo {{phases.a.output}} world" }\n');
    const r = cli(['run', flow, '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    // No model step: no tokens, and nothing spent (0; null is for an unknown price).
    const usage = { inputTokens: 0, outputTokens: 0, costUsd: 0, cachedInputTokens: 0, reasoningTokens: 0, unpricedSteps: 0 };
    // Every try of each phase (SPEC §5 History), and the run's active and wall time.
    const tries = [{ try: 1, runAttempt: 1, status: 'succeeded', error: null, startedAt: expect.stringMatching(/^\d{4}-/), finishedAt: expect.stringMatching(/^\d{4}-/), durationMs: expect.any(Number), exitCode: 0, usage }];
    expect(doc).toEqual({
      runId: expect.any(String),
      status: 'succeeded',
      error: null,
      phases: [
        { id: 'a', status: 'succeeded', output: 'hello', error: null, attempts: 1, usage, tries },
        { id: 'b', status: 'succeeded', output: 'hello world', error: null, attempts: 1, usage, tries },
      ],
      usage,
      durationMs: expect.any(Number),
      wallMs: expect.any(Number),
    });
    expect(r.stderr).toContain('b: succeeded');
    const list = JSON.parse(cli(['runs', '--json']).stdout);
    expect(list).toEqual([{ runId: doc.runId, flow: 'ok', status: 'succeeded', startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), usage }]);
    expect(JSON.parse(cli(['show', doc.runId, '--json']).stdout)).toEqual(doc);
  });

  it('exits 1 for a failed run, then resume exits 0 reusing completed phases; resuming again exits 2', () => {
    const flow = dir.file('f.yaml', `phases:\n  - { id: a, kind: command, run: "printf x >> a.count; echo A" }\n  - { id: b, kind: command, depends_on: [a], run: "[ -f fixed ] || exit 4; echo B" }\n`);
    const failed = cli(['run', flow, '--json']);
    expect(failed.code).toBe(1);
    const doc = JSON.parse(failed.stdout);
    expect(doc.status).toBe('failed');
    expect(doc.error).toContain('exited with code 4');
    expect(doc.phases[1]).toMatchObject({ id: 'b', status: 'failed', output: null, attempts: 1 });
    expect(failed.stderr).toContain(`waymark resume ${doc.runId}`);
    dir.file('fixed', '');
    const resumed = cli(['resume', doc.runId, '--json']);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ runId: doc.runId, status: 'succeeded', phases: [{ attempts: 1 }, { output: 'B', attempts: 2 }] });
    expect(count('a.count')).toBe(1);
    const again = cli(['resume', doc.runId]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already succeeded');
  });

  it('exits 2 with every problem listed for an invalid flow, an unknown run, or bad usage', () => {
    const bad = dir.file('bad.yaml', 'phases:\n  - { id: a, kind: command, run: x, depends_on: [zz] }\n  - { id: a, kind: shell, run: y }\n');
    const v = cli(['validate', bad]);
    expect(v.code).toBe(2);
    expect(v.stderr).toContain(`${bad}:2:50: phase "a": depends on unknown phase "zz"`);
    expect(v.stderr).toContain(`${bad}:3:20: phase "a": unknown kind "shell"`);
    expect(cli(['run', bad]).code).toBe(2);
    expect(cli(['validate', dir.file('good.yaml', 'phases:\n  - { id: a, kind: command, run: x }\n')]).code).toBe(0);
    const unknown = cli(['show', 'nosuchrun1']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no run with id "nosuchrun1"');
    expect(cli(['resume', 'nosuchrun1', '--json']).code).toBe(2);
    expect(cli(['frobnicate']).code).toBe(2);
    expect(cli(['run']).code).toBe(2);
    expect(cli(['run', join(dir.path, 'missing.yaml')]).stderr).toContain('no such file');
  });

  it('on SIGINT stops the running phase, records the run interrupted and exits 3', async () => {
    const flow = dir.file('long.yaml', 'phases:\n  - { id: long, kind: command, run: "echo $$ > sh.pid; sleep 30" }\n');
    const child = start(['run', flow, '--json']);
    await waitFor(() => count('sh.pid') > 0, 20_000, 'the phase to start');
    const sentAt = Date.now();
    child.kill('SIGINT');
    expect(await exited(child)).toBe(3);
    expect(Date.now() - sentAt).toBeLessThan(5_000);
    const doc = JSON.parse(child.output().stdout);
    expect(doc).toMatchObject({ status: 'interrupted', phases: [{ id: 'long', status: 'interrupted' }] });
    const shPid = Number(readFileSync(join(dir.path, 'sh.pid'), 'utf8'));
    expect(() => process.kill(shPid, 0)).toThrow();
  });

  it('after kill -9 mid-phase, resume runs only the rest; saved outputs stay byte-identical; the db is intact', async () => {
    const flow = dir.file('crash.yaml', `phases:
  - id: one
    kind: command
    run: |
      printf x >> one.count; printf 'line 1\\n\\tunicode: \\342\\234\\223 and "quotes"'
  - { id: two, kind: command, depends_on: [one], run: "printf x >> two.count; echo two-{{phases.one.output}}" }
  - { id: slow, kind: command, depends_on: [two], run: "printf x >> slow.count; [ -f resumed ] && echo finished || sleep 30" }
  - { id: last, kind: command, depends_on: [slow], run: "echo {{phases.slow.output}}" }
`);
    const child = start(['run', flow]);
    await waitFor(() => count('slow.count') > 0, 20_000, 'the slow phase to start');
    const runId = JSON.parse(cli(['runs', '--json']).stdout)[0].runId as string;
    const before = JSON.parse(cli(['show', runId, '--json']).stdout);
    child.kill('SIGKILL');
    await exited(child);
    const found = JSON.parse(cli(['show', runId, '--json']).stdout);
    expect(found.status).toBe('interrupted');
    expect(found.phases[2]).toMatchObject({ id: 'slow', status: 'interrupted' });
    dir.file('resumed', '');
    const resumed = cli(['resume', runId, '--json']);
    expect(resumed.code).toBe(0);
    const after = JSON.parse(resumed.stdout);
    expect(after.status).toBe('succeeded');
    expect([count('one.count'), count('two.count'), count('slow.count')]).toEqual([1, 1, 2]);
    expect(after.phases[0].output).toBe(before.phases[0].output);
    expect(after.phases[1].output).toBe(before.phases[1].output);
    expect(Buffer.from(after.phases[0].output).equals(Buffer.from('line 1\n\tunicode: ✓ and "quotes"'))).toBe(true);
    const raw = new Database(db, { readonly: true });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
  });

  it('lets exactly one of two processes resume the same run; the other is told who owns it', async () => {
    const flow = dir.file('race.yaml', 'phases:\n  - { id: gate, kind: command, run: "[ -f go ] || exit 1; sleep 2; echo done" }\n');
    const runId = JSON.parse(cli(['run', flow, '--json']).stdout).runId as string;
    dir.file('go', '');
    const a = start(['resume', runId]);
    const b = start(['resume', runId]);
    const codes = await Promise.all([exited(a), exited(b)]);
    expect([...codes].sort()).toEqual([0, 2]);
    const loser = codes[0] === 2 ? a : b;
    const winner = codes[0] === 2 ? b : a;
    expect(loser.output().stderr).toMatch(new RegExp(`run ${runId} is running, owned by pid ${winner.pid}`));
    const final = JSON.parse(cli(['show', runId, '--json']).stdout);
    expect(final).toMatchObject({ status: 'succeeded', phases: [{ attempts: 2 }] });
  });
});
