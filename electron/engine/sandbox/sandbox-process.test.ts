/**
 * A real `waymark run` process with a provider key in its environment, as a user's shell
 * gives it. Neither the agent's run_command nor a `sandbox: true` command phase can find
 * the key (environment, /proc, home) or read the database, nor write outside the
 * workspace; an unsandboxed command phase, the control, still can (as before).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlmServer } from '../../testing/fake-llm-server';
import { callTool, say } from '../../testing/fake-llm-script';
import { SqliteStore } from '../../store/sqlite-store';

const BIN = resolve(__dirname, '../../../bin/waymark.mjs');
const CANARY = 'sk-canary-e2e-4f9a8b7c6d5e3a21';
let base: string;
let llm: FakeLlmServer;

beforeAll(async () => {
  // Not under /tmp: the sandbox's private /tmp would hide it anyway.
  base = mkdtempSync('/var/tmp/waymark-sandbox-run-');
  for (const dir of ['ws', 'home', 'data']) mkdirSync(join(base, dir));
  writeFileSync(join(base, 'home', '.netrc'), `machine api.example.com password ${CANARY}`);
  llm = await startFakeLlm('openai');
});
afterAll(async () => {
  await llm.close();
  rmSync(base, { recursive: true, force: true });
});

/**
 * Counts, not contents: a leaked key would be redacted from stored outputs, a count is not.
 * The pattern matches the key without containing it, so the command line does not either.
 */
const KEY_PATTERN = `'sk-canary-e2e-[0-9a-f]\\{16\\}'`;
const probe = (name: string) =>
  [
    `echo "proc=$(cat /proc/*/environ 2>/dev/null | tr '\\0' '\\n' | grep -c ${KEY_PATTERN})"`,
    `echo "env=$(env | grep -c ${KEY_PATTERN})"`,
    `echo "home=$(grep -rl ${KEY_PATTERN} $HOME 2>/dev/null | wc -l)"`,
    `echo "db=$(cat ${join(base, 'data', 'waymark.db')} 2>/dev/null | wc -c)"`,
    `touch ${join(base, `outside-${name}`)} 2>/dev/null; echo "${name} done"`,
  ].join('; ');

describe('sandboxed commands in a real waymark process', () => {
  it('keep the key, the database and the rest of the machine out of reach; an unsandboxed phase is unchanged', async () => {
    llm.enqueue(callTool('run_command', { command: probe('agent') }), say('probed'));
    const flow = join(base, 'ws', 'flow.yaml');
    writeFileSync(
      flow,
      `phases:
  - { id: agent, kind: agent, model: "openai:gpt-test", prompt: probe, tools: [run_command] }
  - { id: boxed, kind: command, sandbox: true, run: ${JSON.stringify(probe('boxed'))} }
  - { id: open, kind: command, run: ${JSON.stringify(probe('open'))} }
`,
    );
    const db = join(base, 'data', 'waymark.db');
    const child = spawn(process.execPath, [BIN, 'run', flow, '--db', db], {
      env: { PATH: process.env.PATH, HOME: join(base, 'home'), OPENAI_API_KEY: CANARY, OPENAI_BASE_URL: llm.baseURL },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    expect(await new Promise((r) => child.on('exit', r)), stderr).toBe(0);

    const store = await SqliteStore.open(db);
    const outputs = Object.fromEntries((await store.getPhases((await store.listRuns(1))[0]?.id as string)).map((p) => [p.phaseId, p.output]));
    await store.close();
    const toolResult = JSON.stringify(llm.modelRequests[1]?.body);
    for (const seen of [toolResult, outputs.boxed]) {
      expect(seen).toContain('proc=0');
      expect(seen).toContain('env=0');
      expect(seen).toContain('home=0');
      expect(seen).toContain('db=0');
      expect(seen).not.toContain(CANARY);
    }
    expect(toolResult).toContain('agent done');
    expect(existsSync(join(base, 'outside-agent'))).toBe(false);
    expect(existsSync(join(base, 'outside-boxed'))).toBe(false);
    // The control: the same probe, unsandboxed, finds the key and the database and writes outside.
    expect(outputs.open).toMatch(/proc=[1-9]/);
    expect(outputs.open).toContain('env=1');
    expect(outputs.open).toContain('home=1');
    expect(outputs.open).not.toContain('db=0');
    expect(existsSync(join(base, 'outside-open'))).toBe(true);
  });
});
