/**
 * `command` phases with `sandbox: true` (docs/flows.md): the refusal where no sandbox
 * works, the environment a sandboxed command gets, and the `network` key's rule. What the
 * sandbox keeps out is in sandbox/sandbox.test.ts and sandbox-process.test.ts.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFlow } from '../../../shared/flow/load';
import { SqliteStore } from '../../store/sqlite-store';
import { tempDir, type TempDir } from '../../testing/temp-dir';
import { Engine } from '../engine';
import type { SandboxSettings } from '../sandbox';

let dir: TempDir;
let store: SqliteStore;
beforeEach(async () => {
  dir = tempDir('waymark-cmd-sandbox-');
  store = await SqliteStore.open(join(dir.path, 'test.db'));
});
afterEach(async () => {
  await store.close();
  dir.remove();
});

async function run(yaml: string, options: { env?: NodeJS.ProcessEnv; sandbox?: SandboxSettings; inputs?: Record<string, string> } = {}) {
  const engine = new Engine({ store, env: options.env ?? { PATH: process.env.PATH }, sandbox: options.sandbox ?? { hiddenPaths: [dir.path] } });
  const outcome = await (await engine.startRun({ flowFile: dir.file('flow.yaml', yaml), inputs: options.inputs ?? {} })).done;
  const phases = await store.getPhases(outcome.runId);
  return { outcome, phase: (id: string) => phases.find((p) => p.phaseId === id) };
}

describe('command phases with sandbox: true', () => {
  it('fail with SANDBOX_UNAVAILABLE, saying how to enable it, where no sandbox works; unsandboxed phases still run', async () => {
    const { outcome, phase } = await run(
      `
phases:
  - { id: plain, kind: command, run: "echo plain" }
  - { id: boxed, kind: command, sandbox: true, run: "touch ran.txt" }
`,
      { sandbox: { hiddenPaths: [], bwrapPath: join(dir.path, 'missing-bwrap') } },
    );
    expect(outcome.status).toBe('failed');
    expect(phase('plain')?.output).toBe('plain');
    expect(phase('boxed')?.error).toMatchObject({ code: 'SANDBOX_UNAVAILABLE', message: expect.stringMatching(/^phase "boxed" has `sandbox: true` but no sandbox works here: bubblewrap is not installed .*apt install bubblewrap/) });
  });

  it('get their own env: values and template variables, but no inherited secret', async () => {
    const env = { PATH: process.env.PATH, OPENAI_API_KEY: 'sk-canary-1', GITHUB_TOKEN: 'gh-canary-2', KEEP_ME: 'kept' };
    const { phase } = await run(
      `
inputs: { api_token: {} }
phases:
  - id: boxed
    kind: command
    sandbox: true
    env: { DEPLOY_TOKEN: "{{inputs.api_token}}" }
    run: env | cut -d= -f1 | sort | tr '\\n' ' '
  - { id: open, kind: command, run: "env | cut -d= -f1 | sort | tr '\\\\n' ' '" }
`,
      { env, inputs: { api_token: 'deploy-value' } },
    );
    const boxed = phase('boxed')?.output?.split(' ');
    expect(boxed).toEqual(expect.arrayContaining(['KEEP_ME', 'DEPLOY_TOKEN', 'WAYMARK_INPUT_API_TOKEN', 'PATH']));
    expect(boxed).not.toContain('OPENAI_API_KEY');
    expect(boxed).not.toContain('GITHUB_TOKEN');
    // Unsandboxed, a command phase sees the environment as before.
    expect(phase('open')?.output?.split(' ')).toEqual(expect.arrayContaining(['OPENAI_API_KEY', 'GITHUB_TOKEN', 'KEEP_ME']));
  });

  it('accept `network` only together with `sandbox: true`', async () => {
    const parse = (extra: string) => parseFlow(`phases:\n  - { id: c, kind: command, run: "true"${extra} }\n`);
    expect(parse(', sandbox: true, network: true').ok).toBe(true);
    const refused = parse(', network: true');
    expect(refused.ok).toBe(false);
    expect(refused.ok ? '' : refused.problems[0]?.message).toContain('`network` only applies to a sandboxed command: add `sandbox: true` or remove `network`');
    expect(parseFlow('phases:\n  - { id: a, kind: agent, model: "openai:m", prompt: p, tools: [run_command], network: true }\n').ok).toBe(true);
  });
});
