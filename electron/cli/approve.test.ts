/**
 * `waymark approve` / `waymark reject` through real processes on SQLite (SPEC §6): a run
 * that waits exits 5 with what it waits for, holding no process; a new process decides
 * and continues it; two deciding at once, one wins and the other is told who decided.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli as cliOn, exited, startCli } from '../testing/cli-process';
import { tempDir, type TempDir } from '../testing/temp-dir';

let dir: TempDir;
let db: string;

beforeEach(() => {
  dir = tempDir('waymark-approve-');
  db = join(dir.path, 'cli.db');
});
afterEach(() => dir.remove());

const cli = (args: string[]) => cliOn(db, args);

const FLOW = `name: gate
phases:
  - { id: plan, kind: command, run: "printf 'step 1\\\\nstep 2'" }
  - id: review
    kind: approval
    depends_on: [plan]
    prompt: "Apply this plan?\\n{{phases.plan.output}}"
  - { id: apply, kind: command, depends_on: [review], run: "echo applied with {{phases.review.output}}" }
`;

/** Runs the flow to its waiting end; returns the run id. */
function waitingRun(): string {
  const r = cli(['run', dir.file('gate.yaml', FLOW), '--json']);
  expect(r.code, r.stderr).toBe(5);
  const doc = JSON.parse(r.stdout);
  expect(doc).toMatchObject({ status: 'waiting', waitingFor: { approvals: ['review'], budget: null } });
  expect(doc.phases[1]).toMatchObject({ id: 'review', status: 'waiting', output: null, waiting: { reason: 'approval', prompt: 'Apply this plan?\nstep 1\nstep 2' } });
  expect(r.stderr).toContain(`waymark approve ${doc.runId} review`);
  expect(r.stderr).toContain(`waymark reject ${doc.runId} review --reason`);
  expect(r.stderr).toContain('| step 2');
  return doc.runId as string;
}

describe('waymark approve / reject', () => {
  it('run exits 5 with the prompt and the commands; approve from a new process finishes it (exit 0)', () => {
    const runId = waitingRun();
    expect(JSON.parse(cli(['runs', '--json']).stdout)).toEqual([expect.objectContaining({ runId, status: 'waiting' })]);
    const approved = cli(['approve', runId, 'review', '--comment', 'go ahead', '--json']);
    expect(approved.code, approved.stderr).toBe(0);
    const doc = JSON.parse(approved.stdout);
    expect(doc).toMatchObject({ runId, status: 'succeeded', error: null });
    expect(doc).not.toHaveProperty('waitingFor');
    expect(doc.phases.map((p: { id: string; status: string; output: string | null; attempts: number }) => [p.id, p.status, p.output, p.attempts])).toEqual([
      ['plan', 'succeeded', 'step 1\nstep 2', 1],
      ['review', 'succeeded', 'go ahead', 1],
      ['apply', 'succeeded', 'applied with go ahead', 1],
    ]);
    expect(doc.phases[1].decision).toMatchObject({ attempt: 1, decision: 'approved', comment: 'go ahead', by: expect.any(String) });
    const shown = cli(['show', runId]);
    expect(shown.stdout).toMatch(/review \(try 1\): approved by .+ — go ahead/);
  });

  it('reject needs a reason (exit 2); with one, the run fails (exit 1) and a resume asks again (exit 5)', () => {
    const runId = waitingRun();
    const bare = cli(['reject', runId, 'review']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain(`a rejection needs a reason: waymark reject ${runId} review --reason`);
    const rejected = cli(['reject', runId, 'review', '--reason', 'step 2 is wrong', '--json']);
    expect(rejected.code, rejected.stderr).toBe(1);
    expect(JSON.parse(rejected.stdout)).toMatchObject({ status: 'failed', error: expect.stringContaining('rejected by'), phases: [{}, { id: 'review', status: 'failed' }, { id: 'apply', status: 'pending' }] });
    const unknown = cli(['approve', runId, 'reveiw']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('has no phase "reveiw" (phases: plan, review, apply)');
    const resumed = cli(['resume', runId]);
    expect(resumed.code).toBe(5);
    expect(resumed.stderr).toContain(`waymark approve ${runId} review`);
  });

  it('two approve processes at once: one continues the run, the other is told who decided (exit 2)', async () => {
    const runId = waitingRun();
    const racers = [startCli(db, ['approve', runId, 'review', '--comment', 'first']), startCli(db, ['approve', runId, 'review', '--comment', 'second'])];
    const codes = await Promise.all(racers.map(exited));
    expect([...codes].sort()).toEqual([0, 2]);
    const loser = racers[codes.indexOf(2)]?.output();
    expect(loser?.stderr).toMatch(/phase "review" of run \S+ is not waiting for a decision: it was already approved by \S+ at \d{4}-/);
    const show = JSON.parse(cli(['show', runId, '--json']).stdout);
    expect(show.status).toBe('succeeded');
    expect(show.phases[1].output).toBe(codes[0] === 0 ? 'first' : 'second');
  });
});
