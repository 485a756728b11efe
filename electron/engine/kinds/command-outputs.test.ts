/**
 * Outputs of any size and any bytes reach dependent phases (docs/flows.md, "Large and
 * binary values"): real shell processes, a real SQLite store, a fake LLM for the agent.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { PhaseLogEvent } from '../../../shared/events';
import { SqliteStore } from '../../store/sqlite-store';
import { agentHarness, type AgentHarness } from '../../testing/agent-harness';
import { say } from '../../testing/fake-llm-script';

let h: AgentHarness;
afterEach(async () => h?.close());

const KiB = 1024;
const sha = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');
/** Writes a generator of `bytes` bytes of text full of shell syntax, quotes and multi-byte characters; returns its command line. */
function bigText(bytes: number): string {
  h.dir.file('gen.py', 'import sys\nu = "it\'s \\"$(rm -rf x)` \\\\ \u00e9 \u20ac {{inputs.x}}\\n".encode()\nsys.stdout.buffer.write(u * (int(sys.argv[1]) // len(u)))\n');
  return `python3 gen.py ${bytes}`;
}
const stderrLogs = (phaseId: string) =>
  h.events.filter((e): e is PhaseLogEvent => e.type === 'phase.log' && e.phaseId === phaseId && e.stream === 'stderr').map((e) => e.text).join('');

async function runFlow(yaml: string) {
  const outcome = await h.run(yaml);
  const phases = await h.store.getPhases(outcome.runId);
  const output = (id: string) => phases.find((p) => p.phaseId === id)?.output;
  return { outcome, phases, output };
}

describe('command phases: large outputs', () => {
  it.each([300 * KiB, 2 * 1024 * KiB])('passes a %i-byte output to a dependent through {{phases.X.output}} and $WAYMARK_OUTPUT_X_FILE, byte-exact', async (bytes) => {
    h = await agentHarness();
    const { outcome, phases, output } = await runFlow(`
name: big
phases:
  - { id: big, kind: command, run: ${JSON.stringify(bigText(bytes))} }
  - { id: by_template, kind: command, depends_on: [big], run: "printf '%s' {{phases.big.output}} | sha256sum | cut -c1-64" }
  - id: by_file
    kind: command
    depends_on: [big]
    run: |
      printf '%s %s %s ' "\${WAYMARK_OUTPUT_BIG-unset}" "$(stat -c %a "$(dirname "$WAYMARK_OUTPUT_BIG_FILE")")" "$(stat -c %a "$WAYMARK_OUTPUT_BIG_FILE")"
      printf '%s ' "$WAYMARK_OUTPUT_BIG_FILE"
      sha256sum < "$WAYMARK_OUTPUT_BIG_FILE" | cut -c1-64
`);
    expect(outcome.status, JSON.stringify(phases.map((p) => p.error))).toBe('succeeded');
    const big = output('big') as string;
    expect(Buffer.byteLength(big)).toBeGreaterThan(bytes - 64); // whole lines of the generator, the last newline removed
    expect(output('by_template')).toBe(sha(big));
    const [unset, dirMode, fileMode, path, digest] = (output('by_file') as string).split(' ');
    expect([unset, dirMode, fileMode, digest]).toEqual(['unset', '700', '600', sha(big)]);
    expect(existsSync(path as string)).toBe(false); // the private folder is gone after the phase
    expect(stderrLogs('by_file')).toMatch(/waymark: output of phase "big" is \d+ KiB .*; passed as a file: \$WAYMARK_OUTPUT_BIG_FILE/);
  });

  it('keeps a phase that depends on 40 phases of 100 KiB (and 40 of 60 KiB) under the argument limits', async () => {
    h = await agentHarness();
    const ids = (prefix: string) => Array.from({ length: 40 }, (_, i) => `${prefix}${i}`);
    const producer = (id: string, bytes: number) => `  - { id: ${id}, kind: command, run: "head -c ${bytes} /dev/zero | tr '\\\\0' ${id.slice(0, 1)}" }`;
    const { outcome, phases, output } = await runFlow(`
name: wide
max_parallel: 8
phases:
${ids('a').map((id) => producer(id, 100 * KiB)).join('\n')}
${ids('b').map((id) => producer(id, 60 * KiB)).join('\n')}
  - id: join
    kind: command
    depends_on: [${[...ids('a'), ...ids('b')].join(', ')}]
    run: "printf '%s%s' {{phases.a0.output}} {{phases.b39.output}} | wc -c; cat $WAYMARK_OUTPUT_A7_FILE $WAYMARK_OUTPUT_B7_FILE | wc -c"
`);
    expect(outcome.status, JSON.stringify(phases.find((p) => p.phaseId === 'join')?.error)).toBe('succeeded');
    expect(output('join')?.split('\n').map(Number)).toEqual([160 * KiB, 160 * KiB]);
    const notes = stderrLogs('join');
    expect(notes.match(/is 100 KiB \(over 64 KiB/g)).toHaveLength(40);
    expect(notes).toMatch(/output of phase "b\d+" is 60 KiB \(the phase's values together are over 256 KiB\)/);
  });

  it('passes a 40 KiB output of quotes, which quoting would make 160 KiB, into `run`', async () => {
    h = await agentHarness();
    const { outcome, output } = await runFlow(`
name: quotes
phases:
  - { id: q, kind: command, run: "head -c 40960 /dev/zero | tr '\\\\0' \\"'\\"" }
  - { id: use, kind: command, depends_on: [q], run: "printf '%s' {{phases.q.output}} {{phases.q.output}} | wc -c" }
`);
    expect(outcome.status).toBe('succeeded');
    expect(output('q')).toBe("'".repeat(40 * KiB));
    expect(output('use')).toBe(String(80 * KiB));
  });

  it('lets a `sandbox: true` dependent read a large output (the private folder is visible inside the sandbox)', async () => {
    h = await agentHarness();
    const { outcome, phases, output } = await runFlow(`
name: big-sandboxed
phases:
  - { id: big, kind: command, run: ${JSON.stringify(bigText(300 * KiB))} }
  - { id: boxed, kind: command, sandbox: true, depends_on: [big], run: "printf '%s' {{phases.big.output}} | sha256sum | cut -c1-64; sha256sum < \\"$WAYMARK_OUTPUT_BIG_FILE\\" | cut -c1-64; touch \\"$WAYMARK_OUTPUT_BIG_FILE\\" 2>/dev/null || echo read-only" }
`);
    expect(outcome.status, JSON.stringify(phases.map((p) => p.error))).toBe('succeeded');
    const digest = sha(output('big') as string);
    expect(output('boxed')).toBe(`${digest}\n${digest}\nread-only`);
  });

  it('puts a large output into an agent prompt unchanged', async () => {
    h = await agentHarness({ script: [say('read it')] });
    const { outcome, output } = await runFlow(`
name: agent-big
defaults: { model: "openai:gpt-test" }
phases:
  - { id: big, kind: command, run: ${JSON.stringify(bigText(300 * KiB))} }
  - { id: read, kind: agent, depends_on: [big], prompt: "Summarise:\\n{{phases.big.output}}" }
`);
    expect(outcome.status).toBe('succeeded');
    const body = h.llm.modelRequests[0]?.body as { messages: { role: string; content: string }[] };
    const user = body.messages.find((m) => m.role === 'user');
    expect(user?.content).toBe(`Summarise:\n${output('big') as string}`);
  });
});

describe('command phases: any bytes', () => {
  it('stores an output with a NUL byte exactly and passes it to a dependent as a file', async () => {
    h = await agentHarness();
    const { outcome, phases, output } = await runFlow(`
name: nul
phases:
  - { id: nul, kind: command, run: "printf 'a\\\\000b\\\\n'" }
  - { id: use, kind: command, depends_on: [nul], run: "od -An -c < \\"$WAYMARK_OUTPUT_NUL_FILE\\" | tr -s ' '; printf '%s|' {{phases.nul.output}} \\"\${WAYMARK_OUTPUT_NUL-unset}\\"" }
`);
    expect(outcome.status, JSON.stringify(phases.map((p) => p.error))).toBe('succeeded');
    expect(output('nul')).toBe('a\u0000b');
    expect(output('use')).toBe(' a \\0 b\nab|unset|'); // the shell drops the NUL in $(...); the file keeps it
    expect(stderrLogs('use')).toContain('output of phase "nul" contains NUL bytes');
    const reopened = await SqliteStore.open(h.dbPath);
    try {
      expect((await reopened.getPhases(outcome.runId)).find((p) => p.phaseId === 'nul')?.output).toBe('a\u0000b');
    } finally {
      await reopened.close();
    }
  });

  it('stores stdout that is not UTF-8 with U+FFFD for each invalid byte and warns on the phase log', async () => {
    h = await agentHarness();
    const { outcome, phases, output } = await runFlow(`
name: latin1
phases:
  - { id: bin, kind: command, run: "printf 'caf\\\\351 \\\\377\\\\376 ok \\\\357\\\\277\\\\275'" }
`);
    expect(outcome.status).toBe('succeeded');
    expect(output('bin')).toBe('caf\uFFFD \uFFFD\uFFFD ok \uFFFD'); // the last one was a real U+FFFD in the input
    const warning = 'waymark: stdout was not valid UTF-8: 3 invalid bytes replaced with U+FFFD; write binary data to a file';
    expect(stderrLogs('bin')).toContain(warning);
    expect(phases.find((p) => p.phaseId === 'bin')?.stderrTail).toContain(warning);
  });

  it('passes a large input as a file, like an output', async () => {
    h = await agentHarness();
    const value = `x'y\n${'z'.repeat(70 * KiB)}`;
    const outcome = await h.run(`
name: big-input
inputs: { blob: {} }
phases:
  - { id: use, kind: command, run: "printf '%s' {{inputs.blob}} | sha256sum | cut -c1-64; sha256sum < \\"$WAYMARK_INPUT_BLOB_FILE\\" | cut -c1-64; printf '%s' \\"\${WAYMARK_INPUT_BLOB-unset}\\" | head -c 8" }
`, { blob: value });
    expect(outcome.status).toBe('succeeded');
    expect((await h.store.getPhases(outcome.runId))[0]?.output).toBe(`${sha(value)}\n${sha(value)}\nunset`);
    expect(stderrLogs('use')).toMatch(/waymark: input "blob" is 70 KiB .*; passed as a file: \$WAYMARK_INPUT_BLOB_FILE/);
  });
});
