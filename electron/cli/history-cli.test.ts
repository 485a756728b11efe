/**
 * History on the command line (SPEC §6), through real `waymark` processes: `rerun RUN
 * --from PHASE` (a new run, exit codes as `run`, lineage in `--json` and `show`), and
 * `show RUN --phase ID` (every try with its error, timing, command line and stderr, the
 * whole output; exit 2 for a phase the run does not have).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli as cliOn } from '../testing/cli-process';
import { tempDir, type TempDir } from '../testing/temp-dir';

let dir: TempDir;
let db: string;

beforeEach(() => {
  dir = tempDir('waymark-history-');
  db = join(dir.path, 'cli.db');
});
afterEach(() => dir.remove());

const cli = (args: string[]) => cliOn(db, args);
/** Each phase appends its id to runs.log every time it really runs. */
const executions = () => (existsSync(join(dir.path, 'runs.log')) ? readFileSync(join(dir.path, 'runs.log'), 'utf8').split('\n').filter(Boolean) : []);

describe('waymark rerun', () => {
  it('runs a succeeded run again from a phase as a new run: upstream reused, not executed; descendants run; lineage shown', () => {
    const flow = dir.file('f.yaml', `name: pipeline
phases:
  - { id: fetch, kind: command, run: "echo fetch >> runs.log; printf data" }
  - { id: build, kind: command, depends_on: [fetch], run: "echo build >> runs.log; printf 'B-%s' {{phases.fetch.output}}" }
  - { id: test, kind: command, depends_on: [build], run: "echo test >> runs.log; printf 'T-%s' {{phases.build.output}}" }
`);
    const first = JSON.parse(cli(['run', flow, '--json']).stdout);
    expect(first.status).toBe('succeeded');

    const r = cli(['rerun', first.runId, '--from', 'build', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ status: 'succeeded', rerunOf: { runId: first.runId, phase: 'build' } });
    expect(doc.runId).not.toBe(first.runId);
    expect(doc.phases.map((p: { id: string; output: string; tries: unknown[] }) => [p.id, p.output, p.tries.length])).toEqual([
      ['fetch', 'data', 0], // reused: no try of its own in the new run
      ['build', 'B-data', 1],
      ['test', 'T-B-data', 1],
    ]);
    expect(executions()).toEqual(['fetch', 'build', 'test', 'build', 'test']);
    expect(cli(['show', doc.runId]).stdout).toContain(`a rerun of run ${first.runId} from phase build`);
    expect(JSON.parse(cli(['show', doc.runId, '--json']).stdout).rerunOf).toEqual({ runId: first.runId, phase: 'build' });

    // Exit codes as `run`: a rerun whose phase fails exits 1 and says how to resume the new run.
    dir.file('f.yaml', readFileSync(flow, 'utf8').replace("printf 'T-%s'", 'exit 6; printf'));
    const failing = cli(['rerun', first.runId, '--from', 'test']);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(/resume with: waymark resume [a-z0-9]+/);
    expect(executions().slice(5)).toEqual(['test']);
  });

  it('refuses, with exit 2 and a clear message, an unknown phase, an unknown run, and a missing --from', () => {
    const flow = dir.file('f.yaml', 'phases:\n  - { id: a, kind: command, run: "echo A" }\n');
    const { runId } = JSON.parse(cli(['run', flow, '--json']).stdout);
    const unknownPhase = cli(['rerun', runId, '--from', 'deploy']);
    expect(unknownPhase.code).toBe(2);
    expect(unknownPhase.stderr).toContain('"deploy": the flow has no such phase (phases: a)');
    expect(cli(['rerun', 'nosuchrun1', '--from', 'a']).code).toBe(2);
    const noFrom = cli(['rerun', runId]);
    expect(noFrom.code).toBe(2);
    expect(noFrom.stderr).toContain("required option '--from <phase>'");
    expect(JSON.parse(cli(['runs', '--json']).stdout)).toHaveLength(1);
  });
});

describe('waymark show --phase', () => {
  it('prints every try (the first one’s error and stderr kept after the resume), the command line and the whole output', () => {
    const flow = dir.file('f.yaml', `phases:
  - { id: prep, kind: command, run: "echo ready" }
  - { id: build, kind: command, depends_on: [prep], run: "[ -f fixed ] || { echo 'compiler: missing header' >&2; exit 3; }; echo line1; echo line2" }
`);
    const { runId } = JSON.parse(cli(['run', flow, '--json']).stdout);
    dir.file('fixed', '');
    expect(cli(['resume', runId]).code).toBe(0);

    const shown = cli(['show', runId, '--phase', 'build']);
    expect(shown.code).toBe(0);
    const text = shown.stdout;
    expect(text).toMatch(/^phase build · command · succeeded · 2 tries · run [a-z0-9]+/);
    expect(text).toMatch(/try 1 · run attempt 1 · failed · .* · exit code 3\n {2}error: .*exited with code 3/);
    expect(text).toContain('│ compiler: missing header');
    expect(text).toMatch(/try 2 · run attempt 2 · succeeded · .* · exit code 0/);
    expect(text).toContain('$ [ -f fixed ]');
    expect(text).toContain('output:\nline1\nline2');
    expect(text.indexOf('try 1')).toBeLessThan(text.indexOf('try 2'));

    const doc = JSON.parse(cli(['show', runId, '--phase', 'build', '--json']).stdout);
    expect(doc.phase).toMatchObject({ id: 'build', kind: 'command', status: 'succeeded', output: 'line1\nline2', attempts: 2 });
    expect(doc.phase.tries).toMatchObject([
      { try: 1, runAttempt: 1, status: 'failed', exitCode: 3, error: expect.stringContaining('exited with code 3'), stderr: 'compiler: missing header\n', output: null },
      { try: 2, runAttempt: 2, status: 'succeeded', exitCode: 0, error: null, output: 'line1\nline2' },
    ]);

    // The run's document carries every phase's tries too.
    const run = JSON.parse(cli(['show', runId, '--json']).stdout);
    const build = run.phases.find((p: { id: string }) => p.id === 'build');
    expect(build.tries.map((t: { try: number; status: string; durationMs: number }) => [t.try, t.status, typeof t.durationMs])).toEqual([[1, 'failed', 'number'], [2, 'succeeded', 'number']]);
    expect(run.durationMs).toBeLessThanOrEqual(run.wallMs);

    const unknown = cli(['show', runId, '--phase', 'deploy']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`run ${runId} has no phase "deploy" (its phases: prep, build)`);
  });
});
