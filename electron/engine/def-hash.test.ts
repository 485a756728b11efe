import { describe, expect, it } from 'vitest';
import { parseFlow } from '../../shared/flow/load';
import type { Flow } from '../../shared/flow/schema';
import { canonicalJson, definitionHash } from './def-hash';

function load(text: string): Flow {
  const result = parseFlow(text);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.line}:${p.column} ${p.message}`).join('\n'));
  return result.flow;
}

/** Hash of phase `id` in a flow built from `phases` YAML lines, with optional top-level YAML. */
function hashOf(id: string, phases: string, top = 'defaults: { model: "openai:gpt-4o-mini" }'): string {
  const flow = load(`${top}\nphases:\n${phases}`);
  const phase = flow.phases.find((p) => p.id === id);
  if (!phase) throw new Error(`no phase ${id}`);
  return definitionHash(phase, flow);
}

const AGENT = `
  - id: up
    kind: command
    run: echo up
  - id: write
    kind: agent
    depends_on: [up]
    prompt: "Write it: {{phases.up.output}}"
    system: "Be terse."
    tools: [read_file, write_file]
    max_steps: 5
`;

const COMMAND = `
  - id: up
    kind: command
    run: echo up
  - id: test
    kind: command
    depends_on: [up]
    run: pytest -q
    env: { CI: "1", LEVEL: 3 }
`;

describe('definitionHash', () => {
  const agent = hashOf('write', AGENT);
  const command = hashOf('test', COMMAND);

  it('is a stable 32-hex-digit digest', () => {
    expect(agent).toMatch(/^[0-9a-f]{32}$/);
    expect(hashOf('write', AGENT)).toBe(agent);
    expect(agent).not.toBe(command);
  });

  it('does not depend on key order', () => {
    const reordered = `
  - kind: command
    run: echo up
    id: up
  - max_steps: 5
    tools: [write_file, read_file]
    system: "Be terse."
    prompt: "Write it: {{phases.up.output}}"
    depends_on: [up]
    kind: agent
    id: write
`;
    expect(hashOf('write', reordered)).toBe(agent);
    expect(hashOf('test', COMMAND.replace('env: { CI: "1", LEVEL: 3 }', 'env: { LEVEL: 3, CI: "1" }'))).toBe(command);
  });

  it.each([
    ['description', (s: string) => s.replace('kind: agent', 'kind: agent\n    description: "now documented"')],
    ['retry', (s: string) => s.replace('kind: agent', 'kind: agent\n    retry: { attempts: 5, delay: 2s }')],
    ['timeout', (s: string) => s.replace('kind: agent', 'kind: agent\n    timeout: 10m')],
    ['optional', (s: string) => s.replace('kind: agent', 'kind: agent\n    optional: true')],
    ['depends_on', (s: string) => s.replace('depends_on: [up]', 'depends_on: [up, extra]') + '  - { id: extra, kind: command, run: "true" }\n'],
    ['another phase', (s: string) => s.replace('run: echo up', 'run: echo changed')],
  ])('ignores %s (cannot change what the phase produces)', (_field, edit) => {
    expect(edit(AGENT)).not.toBe(AGENT);
    expect(hashOf('write', edit(AGENT))).toBe(agent);
  });

  it('ignores the same tuning fields on command phases', () => {
    const tuned = COMMAND.replace('run: pytest -q', 'run: pytest -q\n    timeout: 30s\n    optional: true\n    retry: { attempts: 3 }\n    description: tests');
    expect(hashOf('test', tuned)).toBe(command);
  });

  it.each([
    ['prompt', (s: string) => s.replace('Write it:', 'Write it now:')],
    ['system', (s: string) => s.replace('Be terse.', 'Be verbose.')],
    ['system removed', (s: string) => s.replace('    system: "Be terse."\n', '')],
    ['model', (s: string) => s.replace('kind: agent', 'kind: agent\n    model: "anthropic:claude-sonnet"')],
    ['tools', (s: string) => s.replace('tools: [read_file, write_file]', 'tools: [read_file, write_file, run_command]')],
    ['max_steps', (s: string) => s.replace('max_steps: 5', 'max_steps: 6')],
  ])('changes when the agent %s changes', (_field, edit) => {
    expect(edit(AGENT)).not.toBe(AGENT);
    expect(hashOf('write', edit(AGENT))).not.toBe(agent);
  });

  it.each([
    ['run', (s: string) => s.replace('pytest -q', 'pytest -x')],
    ['an env value', (s: string) => s.replace('CI: "1"', 'CI: "0"')],
    ['an env key', (s: string) => s.replace('LEVEL: 3', 'VERBOSE: 3')],
  ])('changes when the command %s changes', (_field, edit) => {
    expect(edit(COMMAND)).not.toBe(COMMAND);
    expect(hashOf('test', edit(COMMAND))).not.toBe(command);
  });

  it('follows defaults.model for a phase without its own model, and ignores it for a phase with one', () => {
    expect(hashOf('write', AGENT, 'defaults: { model: "ollama:llama3.2" }')).not.toBe(agent);
    const pinned = AGENT.replace('kind: agent', 'kind: agent\n    model: "openai:gpt-4o"');
    expect(hashOf('write', pinned, 'defaults: { model: "ollama:llama3.2" }')).toBe(hashOf('write', pinned));
  });

  it('follows defaults.max_steps for a phase without its own max_steps', () => {
    const unbounded = AGENT.replace('    max_steps: 5\n', '');
    const base = hashOf('write', unbounded);
    expect(hashOf('write', unbounded, 'defaults: { model: "openai:gpt-4o-mini", max_steps: 20 }')).toBe(base); // 20 is the default
    expect(hashOf('write', unbounded, 'defaults: { model: "openai:gpt-4o-mini", max_steps: 7 }')).not.toBe(base);
  });

  it("changes when the phase's flow-declared provider changes", () => {
    const top = (url: string) => `providers:\n  lab: { type: openai-compatible, base_url: "${url}" }\ndefaults: { model: "lab:qwen" }`;
    expect(hashOf('write', AGENT, top('http://10.0.0.1/v1'))).not.toBe(hashOf('write', AGENT, top('http://10.0.0.2/v1')));
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined values', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[{"y":2,"z":1}]},"b":1}');
  });

  it('keeps array order', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
  });
});
