import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PersistedEvent, RunEvent } from '../../shared/events';
import { SqliteStore } from '../store/sqlite-store';
import { tempDir, waitFor, type TempDir } from '../testing/temp-dir';
import { Engine } from './engine';
import { defaultKinds } from './kinds';
import { isProcessAlive } from './lease';
import type { PhaseKindModule } from './phase-kind';

let dir: TempDir;
let store: SqliteStore;
let engine: Engine;
let events: RunEvent[];

beforeEach(async () => {
  dir = tempDir();
  store = await SqliteStore.open(join(dir.path, 'test.db'));
  engine = new Engine({ store });
  events = [];
  engine.onEvent((e) => events.push(e));
});

afterEach(async () => {
  await store.close();
  dir.remove();
});

const persisted = () => events.filter((e): e is PersistedEvent => 'seq' in e);
const phaseEvents = (type: 'phase.started' | 'phase.finished') => persisted().filter((e) => e.type === type) as (PersistedEvent & { phaseId: string })[];
const countFile = (name: string) => (existsSync(join(dir.path, name)) ? readFileSync(join(dir.path, name), 'utf8').length : 0);
/** A shell snippet that appends one mark to a file each time the phase really runs. */
const mark = (name: string) => `printf x >> ${name}`;

async function run(yaml: string, inputs: Record<string, string> = {}, file = 'flow.yaml') {
  const handle = await engine.startRun({ flowFile: dir.file(file, yaml), inputs });
  return { ...(await handle.done), phases: await store.getPhases(handle.runId) };
}

describe('Engine: running flows', () => {
  it('runs a diamond declared dependents-first, dependencies before dependents, outputs threaded', async () => {
    const result = await run(`
name: diamond
phases:
  - { id: join, kind: command, depends_on: [left, right], run: "echo {{phases.left.output}}+{{phases.right.output}}" }
  - { id: left, kind: command, depends_on: [root], run: "echo L-{{phases.root.output}}" }
  - { id: right, kind: command, depends_on: [root], run: "echo R-{{phases.root.output}}" }
  - { id: root, kind: command, run: "echo base" }
`);
    expect(result.status).toBe('succeeded');
    expect(result.phases.map((p) => p.phaseId)).toEqual(['root', 'left', 'right', 'join']);
    expect(result.phases.find((p) => p.phaseId === 'join')?.output).toBe('L-base+R-base');
    const started = phaseEvents('phase.started').map((e) => e.phaseId);
    expect(started.indexOf('root')).toBeLessThan(started.indexOf('left'));
    expect(started.indexOf('right')).toBeLessThan(started.indexOf('join'));
    const seqs = persisted().map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  it('runs ready phases in parallel, never more than max_parallel at once', async () => {
    const phases = Array.from({ length: 6 }, (_, i) => `  - { id: p${i}, kind: command, run: "sleep 0.2" }`).join('\n');
    await run(`name: wide\nmax_parallel: 2\nphases:\n${phases}\n`);
    let running = 0;
    let peak = 0;
    for (const e of persisted()) {
      if (e.type === 'phase.started') peak = Math.max(peak, ++running);
      if (e.type === 'phase.finished') running -= 1;
    }
    expect(peak).toBe(2);
  });

  it('inserts template values shell-quoted and in WAYMARK_* variables, so outputs cannot inject shell syntax', async () => {
    const result = await run(`
inputs: { who: {} }
phases:
  - { id: evil, kind: command, run: "printf '%s' '$(touch pwned); echo hacked'" }
  - { id: use, kind: command, depends_on: [evil], run: "printf '%s|%s|%s' {{phases.evil.output}} \\"$WAYMARK_OUTPUT_EVIL\\" {{inputs.who}}" }
`, { who: "a'b; touch pwned2" });
    expect(result.status).toBe('succeeded');
    expect(result.phases[1]?.output).toBe("$(touch pwned); echo hacked|$(touch pwned); echo hacked|a'b; touch pwned2");
    expect(existsSync(join(dir.path, 'pwned'))).toBe(false);
    expect(existsSync(join(dir.path, 'pwned2'))).toBe(false);
  });

  it('lets an optional phase fail without failing the run, and skips its dependents', async () => {
    const result = await run(`
phases:
  - { id: main, kind: command, run: "echo ok" }
  - { id: extra, kind: command, optional: true, run: "exit 7" }
  - { id: after_extra, kind: command, depends_on: [extra], run: "echo never" }
  - { id: last, kind: command, depends_on: [main], run: "echo done" }
`);
    expect(result.status).toBe('succeeded');
    const status = Object.fromEntries(result.phases.map((p) => [p.phaseId, p.status]));
    expect(status).toEqual({ main: 'succeeded', extra: 'failed', after_extra: 'skipped', last: 'succeeded' });
    expect(result.phases.find((p) => p.phaseId === 'extra')?.exitCode).toBe(7);
  });

  it('fails the run on a required failure, lets running phases finish, and starts nothing new', async () => {
    const result = await run(`
phases:
  - { id: slow, kind: command, run: "sleep 0.3; echo slow-done" }
  - { id: broken, kind: command, run: "echo oops >&2; exit 3" }
  - { id: after, kind: command, depends_on: [broken], run: "echo never" }
  - { id: later, kind: command, depends_on: [slow], run: "echo never" }
`);
    expect(result.status).toBe('failed');
    expect(result.error?.message).toContain('exited with code 3: oops');
    expect(result.error?.where?.phaseId).toBe('broken');
    const byId = Object.fromEntries(result.phases.map((p) => [p.phaseId, p]));
    expect(byId.slow?.status).toBe('succeeded');
    expect(byId.slow?.output).toBe('slow-done');
    expect(byId.broken?.stderrTail).toContain('oops');
    expect(byId.after?.status).toBe('pending');
    expect(byId.later?.status).toBe('pending');
  });

  it('retries with exponential backoff and records every try', async () => {
    const result = await run(`
phases:
  - id: flaky
    kind: command
    retry: { attempts: 4, delay: 20ms, backoff: 3 }
    run: "${mark('tries')}; [ $(wc -c < tries) -ge 3 ] && echo third-time-lucky || exit 1"
`);
    expect(result.status).toBe('succeeded');
    expect(result.phases[0]?.attempts).toBe(3);
    expect(countFile('tries')).toBe(3);
    const retries = phaseEvents('phase.finished').map((e) => (e as { retryInMs?: number }).retryInMs);
    expect(retries).toEqual([20, 60, undefined]);
  });

  it('stops a phase at its timeout and kills the whole process group', async () => {
    const result = await run(`
phases:
  - { id: hang, kind: command, timeout: 300ms, run: "sleep 30 & echo $! > child.pid; wait" }
`);
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('PHASE_TIMEOUT');
    expect(result.error?.message).toContain('timed out after 300ms');
    const pid = Number(readFileSync(join(dir.path, 'child.pid'), 'utf8'));
    await waitFor(() => !isProcessAlive(pid), 5_000, 'the background sleep to be killed');
  });

  it('records an exception thrown inside phase code as a failure of that phase', async () => {
    const kinds = defaultKinds();
    const thrower: PhaseKindModule<'command'> = {
      kind: 'command',
      execute: () => {
        throw new TypeError('kaboom in phase code');
      },
    };
    kinds.set('command', thrower as unknown as PhaseKindModule);
    engine = new Engine({ store, kinds });
    const handle = await engine.startRun({ flowFile: dir.file('f.yaml', 'phases:\n  - { id: a, kind: command, run: x }\n') });
    const outcome = await handle.done;
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.message).toBe('kaboom in phase code');
    expect((await store.getRun(handle.runId))?.status).toBe('failed');
    expect((await store.getPhases(handle.runId))[0]?.status).toBe('failed');
  });

  it('cancels a run: the running command is killed, the run is recorded cancelled', async () => {
    const handle = await engine.startRun({ flowFile: dir.file('f.yaml', 'phases:\n  - { id: long, kind: command, run: "echo $$ > sh.pid; sleep 30" }\n') });
    await waitFor(() => existsSync(join(dir.path, 'sh.pid')) && readFileSync(join(dir.path, 'sh.pid'), 'utf8').trim(), 5_000, 'the command to start');
    expect(engine.cancel(handle.runId)).toBe(true);
    const outcome = await handle.done;
    expect(outcome.status).toBe('cancelled');
    expect((await store.getPhases(handle.runId))[0]?.status).toBe('interrupted');
    const pid = Number(readFileSync(join(dir.path, 'sh.pid'), 'utf8'));
    await waitFor(() => !isProcessAlive(pid), 5_000, 'the shell to be killed');
  });

  it('shuts down gracefully: running phases stop and the run is recorded interrupted', async () => {
    const handle = await engine.startRun({ flowFile: dir.file('f.yaml', 'phases:\n  - { id: long, kind: command, run: "sleep 30" }\n') });
    await waitFor(() => phaseEvents('phase.started').length > 0, 5_000, 'the phase to start');
    await engine.shutdown();
    expect((await handle.done).status).toBe('interrupted');
    expect((await store.getRun(handle.runId))?.status).toBe('interrupted');
    expect((await store.getRun(handle.runId))?.owner).toBeNull();
  });

  it('keeps running when the store fails, and reports the failure as an event', async () => {
    let failures = 0;
    const flaky = Object.create(store) as SqliteStore;
    flaky.commit = async (runId, owner, facts, now) => {
      if (facts.some((f) => f.type === 'phase.finished' && f.phaseId === 'a') && failures++ === 0) {
        throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      }
      return await store.commit(runId, owner, facts, now);
    };
    engine = new Engine({ store: flaky });
    engine.onEvent((e) => events.push(e));
    const handle = await engine.startRun({ flowFile: dir.file('f.yaml', 'phases:\n  - { id: a, kind: command, run: "echo A" }\n  - { id: b, kind: command, depends_on: [a], run: "echo {{phases.a.output}}B" }\n') });
    expect((await handle.done).status).toBe('succeeded');
    expect(events.find((e) => e.type === 'store.failed')).toMatchObject({ message: expect.stringContaining('disk is full') });
    expect((await store.getPhases(handle.runId))[1]?.output).toBe('AB');
  });
});

describe('Engine: resume', () => {
  const threeSteps = (testCmd: string) => `
name: three
phases:
  - { id: fetch, kind: command, run: "${mark('fetch.count')}; echo fetched" }
  - { id: build, kind: command, depends_on: [fetch], run: "${mark('build.count')}; echo built-{{phases.fetch.output}}" }
  - { id: test, kind: command, depends_on: [build], run: "${testCmd}" }
`;

  it('continues a failed run as the same run: completed phases are reused, their outputs threaded', async () => {
    const first = await run(threeSteps('exit 1'));
    expect(first.status).toBe('failed');
    dir.file('flow.yaml', threeSteps('echo tested-{{phases.build.output}}'));
    const resumed = await engine.resumeRun({ runId: first.runId });
    expect(resumed.runId).toBe(first.runId);
    const outcome = await resumed.done;
    expect(outcome.status).toBe('succeeded');
    expect(countFile('fetch.count')).toBe(1);
    expect(countFile('build.count')).toBe(1);
    const phases = await store.getPhases(first.runId);
    expect(phases.map((p) => [p.phaseId, p.status, p.attempts])).toEqual([['fetch', 'succeeded', 1], ['build', 'succeeded', 1], ['test', 'succeeded', 2]]);
    expect(phases[2]?.output).toBe('tested-built-fetched');
    expect((await store.getAttempts(first.runId)).map((a) => [a.attempt, a.status])).toEqual([[1, 'failed'], [2, 'succeeded']]);
    const started = persisted().filter((e) => e.type === 'run.started').at(-1);
    expect(started).toMatchObject({ resumed: true, reused: ['fetch', 'build'], frontier: ['test'] });
  });

  it('re-runs an edited phase and its descendants, and reuses its siblings', async () => {
    const flow = (buildCmd: string) => `
phases:
  - { id: a, kind: command, run: "${mark('a')}; echo a" }
  - { id: b, kind: command, depends_on: [a], run: "${mark('b')}; ${buildCmd}" }
  - { id: c, kind: command, depends_on: [b], run: "${mark('c')}; echo c" }
  - { id: side, kind: command, depends_on: [a], run: "${mark('side')}; echo side" }
  - { id: fail, kind: command, depends_on: [c, side], run: "exit 1" }
`;
    const first = await run(flow('echo b1'));
    expect(first.status).toBe('failed');
    dir.file('flow.yaml', flow('echo b2').replace('run: "exit 1"', 'run: "echo ok"'));
    expect((await (await engine.resumeRun({ runId: first.runId })).done).status).toBe('succeeded');
    expect([countFile('a'), countFile('b'), countFile('c'), countFile('side')]).toEqual([1, 2, 2, 1]);
    expect((await store.getPhases(first.runId)).find((p) => p.phaseId === 'b')?.output).toBe('b2');
  });

  it('re-runs a completed phase that gained a new, never-run ancestor', async () => {
    const first = await run(`
phases:
  - { id: a, kind: command, run: "${mark('a')}; echo a" }
  - { id: b, kind: command, depends_on: [a], run: "${mark('b')}; echo b" }
  - { id: c, kind: command, depends_on: [b], run: "exit 1" }
`);
    dir.file('flow.yaml', `
phases:
  - { id: a, kind: command, run: "${mark('a')}; echo a" }
  - { id: lint, kind: command, depends_on: [a], run: "${mark('lint')}; echo lint" }
  - { id: b, kind: command, depends_on: [a, lint], run: "${mark('b')}; echo b" }
  - { id: c, kind: command, depends_on: [b], run: "echo c" }
`);
    expect((await (await engine.resumeRun({ runId: first.runId })).done).status).toBe('succeeded');
    expect([countFile('a'), countFile('lint'), countFile('b')]).toEqual([1, 1, 2]);
  });

  it('gives frontier phases the resumed-run notice, with the previous error when one was recorded', async () => {
    const kinds = defaultKinds();
    const seen: Record<string, unknown> = {};
    const command = kinds.get('command') as PhaseKindModule;
    kinds.set('command', { ...command, applyResumeNotice: (phase, notice) => ((seen[phase.id] = notice), phase) });
    engine = new Engine({ store, kinds });
    const first = await run(`
phases:
  - { id: ok, kind: command, run: "echo ok" }
  - { id: bad, kind: command, depends_on: [ok], run: "echo broken >&2; exit 2" }
  - { id: after, kind: command, depends_on: [bad], run: "echo after" }
`);
    dir.file('flow.yaml', readFileSync(join(dir.path, 'flow.yaml'), 'utf8').replace('echo broken >&2; exit 2', 'echo fixed'));
    await (await engine.resumeRun({ runId: first.runId })).done;
    expect(Object.keys(seen)).toEqual(['bad']);
    expect(seen.bad).toMatchObject({ previousError: { code: 'COMMAND_FAILED', message: expect.stringContaining('broken') } });
  });

  it('refuses to resume a succeeded or unknown run, with a clear error', async () => {
    const done = await run('phases:\n  - { id: a, kind: command, run: "echo a" }\n');
    await expect(engine.resumeRun({ runId: done.runId })).rejects.toThrow(expect.objectContaining({ code: 'RUN_NOT_RESUMABLE', message: expect.stringContaining('already succeeded') }));
    await expect(engine.resumeRun({ runId: 'nosuchrun1' })).rejects.toThrow(expect.objectContaining({ code: 'RUN_NOT_FOUND' }));
  });

  it('refuses to resume a run another live engine owns', async () => {
    const handle = await engine.startRun({ flowFile: dir.file('f.yaml', 'phases:\n  - { id: long, kind: command, run: "sleep 30" }\n') });
    const other = new Engine({ store: await SqliteStore.open(join(dir.path, 'test.db')) });
    await expect(other.resumeRun({ runId: handle.runId })).rejects.toThrow(expect.objectContaining({ code: 'RUN_OWNED', message: expect.stringContaining(`owned by pid ${process.pid}`) }));
    await engine.shutdown();
    await other.store.close();
  });

  it('names run, phase and remedy for a corrupt checkpoint, and --restart-phase recovers', async () => {
    const first = await run(threeSteps('exit 1'));
    const raw = new Database(join(dir.path, 'test.db'));
    raw.prepare("UPDATE phase_results SET output = 'tampered' WHERE phase_id = 'build'").run();
    raw.close();
    await expect(engine.resumeRun({ runId: first.runId })).rejects.toThrow(
      expect.objectContaining({ code: 'CHECKPOINT_CORRUPT', message: expect.stringMatching(new RegExp(`run ${first.runId}.*phase "build".*waymark resume ${first.runId} --restart-phase build`)) }),
    );
    dir.file('flow.yaml', threeSteps('echo ok'));
    expect((await (await engine.resumeRun({ runId: first.runId, restartPhase: 'build' })).done).status).toBe('succeeded');
    expect([countFile('fetch.count'), countFile('build.count')]).toEqual([1, 2]);
    expect((await store.getPhases(first.runId))[1]?.output).toBe('built-fetched');
  });

  it('a phase dropped from the flow and later restored continues counting its tries', async () => {
    const withSide = 'phases:\n  - { id: a, kind: command, run: "echo a" }\n  - { id: side, kind: command, run: "exit 1" }\n  - { id: b, kind: command, depends_on: [a], run: "exit 1" }\n';
    const first = await run(withSide);
    expect(first.status).toBe('failed');
    // Without `side`, and `b` still failing: the run's plan no longer has `side`.
    dir.file('flow.yaml', 'phases:\n  - { id: a, kind: command, run: "echo a" }\n  - { id: b, kind: command, depends_on: [a], run: "exit 1" }\n');
    expect((await (await engine.resumeRun({ runId: first.runId })).done).status).toBe('failed');
    // `side` comes back: its next try is its second, not "try 1" again.
    dir.file('flow.yaml', withSide.replace('run: "exit 1" }\n  - { id: b', 'run: "echo s" }\n  - { id: b').replace('depends_on: [a], run: "exit 1"', 'depends_on: [a], run: "echo b"'));
    const third = await (await engine.resumeRun({ runId: first.runId })).done;
    expect(third).toMatchObject({ status: 'succeeded', error: null });
    const phases = await store.getPhases(first.runId);
    expect(phases.map((p) => [p.phaseId, p.status])).toEqual([['a', 'succeeded'], ['side', 'succeeded'], ['b', 'succeeded']]);
    expect(phases.find((p) => p.phaseId === 'side')?.attempts).toBe(2);
    expect(events.some((e) => e.type === 'store.failed')).toBe(false);
  });

  it('resumes from the flow saved in the run when the file is gone', async () => {
    const first = await run(threeSteps('[ -f go ] || exit 1; echo went'));
    dir.file('go', '');
    const { rmSync } = await import('node:fs');
    rmSync(join(dir.path, 'flow.yaml'));
    expect((await (await engine.resumeRun({ runId: first.runId })).done).status).toBe('succeeded');
  });
});
