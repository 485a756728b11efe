import { describe, expect, it } from 'vitest';
import { MAX_FLOW_ALIASES, MAX_FLOW_BYTES, MAX_FLOW_DEPTH, MAX_FLOW_PROBLEMS } from './limits';
import { parseFlow } from './load';
import type { FlowProblem } from './problems';

/** Strips the first newline and the common indentation, so line 1 is the fixture's first line. */
function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = String.raw({ raw: strings }, ...values).replace(/^\n/, '');
  const indents = text.split('\n').filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)?.[0].length ?? 0);
  const common = Math.min(...indents);
  return text.split('\n').map((l) => l.slice(common)).join('\n');
}

function problems(text: string): FlowProblem[] {
  const result = parseFlow(text, { file: 'flows/demo.yaml' });
  if (result.ok) throw new Error(`expected problems, got a flow with ${result.flow.phases.length} phases`);
  return result.problems;
}

function onlyProblem(text: string): FlowProblem {
  const all = problems(text);
  expect(all.map((p) => p.message)).toHaveLength(1);
  return all[0] as FlowProblem;
}

function loaded(text: string) {
  const result = parseFlow(text, { file: 'flows/demo.yaml' });
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.line}:${p.column} ${p.message}`).join('\n'));
  return result.flow;
}

const SPEC_EXAMPLE = yaml`
  name: add-integration
  inputs:
    service: { default: redis }
  providers:
    local: { type: openai-compatible, base_url: "http://127.0.0.1:11434/v1" }
  defaults:
    model: local:llama3.2
    max_steps: 20
  phases:
    - id: research
      kind: agent
      prompt: "List the metrics that {{inputs.service}} exposes."
    - id: write_code
      kind: agent
      depends_on: [research]
      system: "You write Python integrations."
      prompt: "Write check.py for these metrics:\\n{{phases.research.output}}"
      tools: [read_file, write_file, list_files]
    - id: test
      kind: command
      depends_on: [write_code]
      run: python -m pytest -q
      retry: { attempts: 2 }
    - id: summary
      kind: agent
      depends_on: [test]
      optional: true
      prompt: "Summarise: {{phases.test.output}}"
`;

describe('parseFlow: valid flows', () => {
  it('loads the SPEC §2 example verbatim, agent and command phases alike', () => {
    const flow = loaded(SPEC_EXAMPLE);
    expect(flow.name).toBe('add-integration');
    expect(flow.inputs).toEqual({ service: { default: 'redis' } });
    expect(flow.providers).toEqual({ local: { type: 'openai-compatible', base_url: 'http://127.0.0.1:11434/v1' } });
    expect(flow.defaults).toEqual({ model: 'local:llama3.2', max_steps: 20 });
    expect(flow.maxParallel).toBe(4);
    expect(flow.phases.map((p) => [p.id, p.kind])).toEqual([
      ['research', 'agent'],
      ['write_code', 'agent'],
      ['test', 'command'],
      ['summary', 'agent'],
    ]);
    const write = flow.phases[1];
    expect(write).toMatchObject({ system: 'You write Python integrations.', tools: ['read_file', 'write_file', 'list_files'] });
    expect(write?.kind === 'agent' && write.prompt).toBe('Write check.py for these metrics:\n{{phases.research.output}}');
    expect(flow.phases[2]).toMatchObject({ run: 'python -m pytest -q', retry: { attempts: 2 }, depends_on: ['write_code'] });
    expect(flow.phases[3]).toMatchObject({ optional: true });
  });

  it('uses defaultName when the file has no name, and stringifies input defaults', () => {
    const result = parseFlow(
      yaml`
        inputs:
          count: { default: 3 }
          target:
        phases:
          - { id: a, kind: command, run: "echo {{inputs.count}} {{inputs.target}}" }
      `,
      { defaultName: 'from-file-name' },
    );
    expect(result.ok && result.flow.name).toBe('from-file-name');
    expect(result.ok && result.flow.inputs).toEqual({ count: { default: '3' }, target: {} });
  });

  it('sorts phases declared dependents-first so dependencies come first', () => {
    const flow = loaded(yaml`
      phases:
        - { id: deploy, kind: command, run: ./deploy, depends_on: [test] }
        - { id: test, kind: command, run: ./test, depends_on: [build] }
        - { id: build, kind: command, run: ./build }
    `);
    expect(flow.phases.map((p) => p.id)).toEqual(['build', 'test', 'deploy']);
  });

  it('keeps declaration order for phases with no ordering constraint (stable sort)', () => {
    const flow = loaded(yaml`
      phases:
        - { id: zeta, kind: command, run: z }
        - { id: report, kind: command, run: r, depends_on: [alpha, zeta] }
        - { id: mid, kind: command, run: m }
        - { id: alpha, kind: command, run: a }
        - { id: last, kind: command, run: l }
    `);
    expect(flow.phases.map((p) => p.id)).toEqual(['zeta', 'mid', 'alpha', 'report', 'last']);
  });
});

describe('parseFlow: each error is one message with file, line and column', () => {
  it('YAML syntax error points at where the parser gave up', () => {
    const p = onlyProblem(yaml`
      phases:
        - id: a
          kind: command
          run: "make" all
    `);
    expect(p).toMatchObject({ file: 'flows/demo.yaml', line: 4, column: 17 });
    expect(p.message).toBe('YAML syntax: Unexpected scalar at node end');
  });

  it('a YAML key written twice in one mapping is a syntax error at the second key', () => {
    const p = onlyProblem(yaml`
      phases:
        - id: a
          id: b
          kind: command
          run: x
    `);
    expect(p).toMatchObject({ line: 3, column: 5 });
    expect(p.message).toContain('unique');
  });

  it('duplicate ids: at the second id, naming the first line', () => {
    const p = onlyProblem(yaml`
      phases:
        - id: build
          kind: command
          run: make
        - id: build
          kind: command
          run: make again
    `);
    expect(p).toMatchObject({ file: 'flows/demo.yaml', line: 5, column: 9, phaseId: 'build', path: ['phases', 1, 'id'] });
    expect(p.message).toBe('phase "build": duplicate phase id (first declared on line 2)');
  });

  it('unknown dependency: at the list item, with a suggestion', () => {
    const p = onlyProblem(yaml`
      phases:
        - id: build
          kind: command
          run: make
        - id: test
          kind: command
          depends_on: [build, biuld]
          run: make test
    `);
    expect(p).toMatchObject({ line: 7, column: 25, phaseId: 'test', path: ['phases', 1, 'depends_on', 1] });
    expect(p.message).toBe('phase "test": depends on unknown phase "biuld"; did you mean "build"?');
  });

  it('self dependency', () => {
    const p = onlyProblem(yaml`
      phases:
        - id: loop
          kind: command
          depends_on:
            - loop
          run: x
    `);
    expect(p).toMatchObject({ line: 5, column: 9, phaseId: 'loop' });
    expect(p.message).toBe('phase "loop": depends on itself');
  });

  it('cycle: shows the path and points at the dependency that closes it', () => {
    const p = onlyProblem(yaml`
      phases:
        - id: setup
          kind: command
          run: s
        - id: a
          kind: command
          depends_on: [setup, c]
          run: x
        - id: b
          kind: command
          depends_on: [a]
          run: x
        - id: c
          kind: command
          depends_on: [b]
          run: x
    `);
    expect(p.message).toBe('dependency cycle: a → b → c → a');
    expect(p).toMatchObject({ line: 7, column: 25, phaseId: 'a' });
  });

  it('unknown top-level key, with "did you mean"', () => {
    const p = onlyProblem(yaml`
      name: demo
      max_paralel: 2
      phases:
        - { id: a, kind: command, run: x }
    `);
    expect(p).toMatchObject({ line: 2, column: 1, path: ['max_paralel'] });
    expect(p.message).toBe('unknown key "max_paralel"; did you mean "max_parallel"?');
  });

  it('unknown phase key, with "did you mean"', () => {
    const p = onlyProblem(yaml`
      phases:
        - id: a
          kind: command
          run: echo hi
          dependson: [b]
        - { id: b, kind: command, run: x }
    `);
    expect(p).toMatchObject({ line: 5, column: 5, phaseId: 'a', path: ['phases', 0, 'dependson'] });
    expect(p.message).toBe('phase "a": unknown key "dependson"; did you mean "depends_on"?');
  });

  it('a swapped pair of letters counts as one typo', () => {
    const all = problems(yaml`
      phases:
        - id: a
          kind: command
          rnu: echo hi
    `);
    expect(all.map((p) => [p.line, p.column, p.message])).toEqual([
      [2, 5, 'phase "a": missing required key "run"'],
      [4, 5, 'phase "a": unknown key "rnu"; did you mean "run"?'],
    ]);
  });

  it('unknown nested keys are suggested from that mapping, not from its parent', () => {
    const all = problems(yaml`
      defaults:
        modle: openai:gpt-4o-mini
      phases:
        - id: a
          kind: command
          run: x
          retry: { attempts: 2, dealy: 5s, timeout: 3 }
    `);
    expect(all.map((p) => [p.line, p.column, p.message])).toEqual([
      [2, 3, 'unknown key "modle" in defaults; did you mean "model"?'],
      [7, 27, 'phase "a": unknown key "dealy" in retry; did you mean "delay"?'],
      [7, 38, 'phase "a": unknown key "timeout" in retry'],
    ]);
  });

  it('wrong types: each at its value', () => {
    const all = problems(yaml`
      max_parallel: many
      phases:
        - id: a
          kind: command
          run: 42
          optional: "yes"
          depends_on: b
    `);
    expect(all.map((p) => [p.line, p.column, p.message])).toEqual([
      [1, 15, 'max_parallel: invalid input: expected number, received string'],
      [5, 10, 'phase "a": run: invalid input: expected string, received number'],
      [6, 15, 'phase "a": optional: invalid input: expected boolean, received string'],
      [7, 17, 'phase "a": depends_on: invalid input: expected array, received string'],
    ]);
  });

  it('an invalid id', () => {
    const p = onlyProblem(yaml`
      phases:
        - id: Build Step
          kind: command
          run: x
    `);
    expect(p).toMatchObject({ line: 2, column: 9 });
    expect(p.message).toBe('phase "Build Step": id: a phase id may only contain a-z, 0-9, "_" and "-"');
  });

  it('missing required key: at the mapping that lacks it', () => {
    const p = onlyProblem(yaml`
      phases:
        - id: a
          kind: command
          description: forgot the command
    `);
    expect(p).toMatchObject({ line: 2, column: 5, phaseId: 'a', path: ['phases', 0, 'run'] });
    expect(p.message).toBe('phase "a": missing required key "run"');
  });

  it('missing `phases`', () => {
    const p = onlyProblem('name: empty\n');
    expect(p).toMatchObject({ line: 1, column: 1 });
    expect(p.message).toBe('missing required key "phases"');
  });

  it('template naming a phase that is not an ancestor: at the placeholder itself', () => {
    const p = onlyProblem(yaml`
      phases:
        - id: fetch
          kind: command
          run: curl example.com
        - id: parse
          kind: command
          run: "echo {{phases.fetch.output}} | jq ."
    `);
    expect(p).toMatchObject({ line: 7, column: 16, phaseId: 'parse', path: ['phases', 1, 'run'] });
    expect(p.message).toBe('phase "parse": template {{phases.fetch.output}} names "fetch", which is not an ancestor: add "fetch" to depends_on');
  });

  it('a transitive ancestor may be named in a template', () => {
    const flow = loaded(yaml`
      phases:
        - { id: a, kind: command, run: x }
        - { id: b, kind: command, run: y, depends_on: [a] }
        - { id: c, kind: command, run: "echo {{phases.a.output}}", depends_on: [b] }
    `);
    expect(flow.phases.map((p) => p.id)).toEqual(['a', 'b', 'c']);
  });

  it('template naming an unknown phase, an undeclared input and an unknown expression', () => {
    const all = problems(yaml`
      inputs:
        service: {}
      phases:
        - id: a
          kind: command
          run: "echo {{phases.ghost.output}} {{inputs.servce}} {{foo}}"
    `);
    expect(all.map((p) => [p.line, p.column, p.message])).toEqual([
      [6, 16, 'phase "a": template {{phases.ghost.output}} names unknown phase "ghost"'],
      [6, 40, 'phase "a": template {{inputs.servce}} names an input the flow does not declare (declared: service)'],
      [6, 58, 'phase "a": unknown template expression "{{foo}}" (expected {{inputs.NAME}} or {{phases.ID.output}})'],
    ]);
  });

  it('a template naming the phase itself', () => {
    const p = onlyProblem(yaml`
      phases:
        - { id: a, kind: command, run: "echo {{phases.a.output}}" }
    `);
    expect(p.message).toBe('phase "a": template {{phases.a.output}} names the phase itself');
    expect(p).toMatchObject({ line: 2, column: 40 });
  });

  it('templates in system prompts and env values are checked too', () => {
    const all = problems(yaml`
      defaults: { model: openai:gpt-4o-mini }
      phases:
        - id: a
          kind: agent
          prompt: ok
          system: "{{inputs.nope}}"
        - id: b
          kind: command
          run: x
          env:
            TOKEN: "{{inputs.missing}}"
    `);
    expect(all.map((p) => [p.line, p.column, p.phaseId])).toEqual([
      [6, 14, 'a'],
      [11, 15, 'b'],
    ]);
  });

  it('unknown kind, with "did you mean"', () => {
    const p = onlyProblem(yaml`
      phases:
        - id: a
          kind: comand
          run: x
    `);
    expect(p).toMatchObject({ line: 3, column: 11, phaseId: 'a' });
    expect(p.message).toBe('phase "a": unknown kind "comand" (expected one of: agent, command, approval); did you mean "command"?');
  });

  it('a phase without a kind', () => {
    const p = onlyProblem(yaml`
      phases:
        - id: a
          run: x
    `);
    expect(p).toMatchObject({ line: 2, column: 5, phaseId: 'a' });
    expect(p.message).toBe('phase "a" has no `kind` (expected one of: agent, command, approval)');
  });

  it('unknown provider in a phase model', () => {
    const p = onlyProblem(yaml`
      phases:
        - id: a
          kind: agent
          model: opnai:gpt-4o
          prompt: hi
    `);
    expect(p).toMatchObject({ line: 4, column: 12, phaseId: 'a', path: ['phases', 0, 'model'] });
    expect(p.message).toBe('phase "a": unknown provider "opnai" in model "opnai:gpt-4o" (known: openai, anthropic, ollama); did you mean "openai"?');
  });

  it('unknown provider in defaults.model, and a model without a provider', () => {
    const all = problems(yaml`
      defaults:
        model: mystery:model
      phases:
        - { id: a, kind: agent, prompt: hi, model: gpt-4o }
    `);
    expect(all.map((p) => [p.line, p.column, p.message])).toEqual([
      [2, 10, 'unknown provider "mystery" in model "mystery:model" (known: openai, anthropic, ollama)'],
      [4, 46, 'phase "a": model "gpt-4o" must be written provider:model, e.g. "openai:gpt-4o-mini"'],
    ]);
  });

  it('a flow-declared provider is known', () => {
    const flow = loaded(yaml`
      providers:
        lab: { type: openai-compatible, base_url: "http://10.0.0.2:8000/v1", api_key_env: LAB_KEY }
      phases:
        - { id: a, kind: agent, prompt: hi, model: "lab:qwen" }
    `);
    expect(flow.providers.lab?.api_key_env).toBe('LAB_KEY');
  });

  it('unknown tool: at the list item', () => {
    const p = onlyProblem(yaml`
      defaults: { model: openai:gpt-4o-mini }
      phases:
        - id: a
          kind: agent
          prompt: hi
          tools: [read_file, delete_file]
    `);
    expect(p).toMatchObject({ line: 6, column: 24, phaseId: 'a', path: ['phases', 0, 'tools', 1] });
    expect(p.message).toBe('phase "a": tools[1]: unknown tool "delete_file" (expected one of: read_file, write_file, list_files, run_command)');
  });

  it('agent phase without a model (and no defaults.model)', () => {
    const p = onlyProblem(yaml`
      phases:
        - id: think
          kind: agent
          prompt: hi
    `);
    expect(p).toMatchObject({ line: 2, column: 5, phaseId: 'think' });
    expect(p.message).toBe('phase "think": no model; set `model:` on the phase or `defaults.model`');
  });

  it('redeclaring a built-in provider', () => {
    const p = onlyProblem(yaml`
      providers:
        openai: { type: openai-compatible, base_url: "http://localhost:1234/v1" }
      phases:
        - { id: a, kind: command, run: x }
    `);
    expect(p).toMatchObject({ line: 2, column: 3, path: ['providers', 'openai'] });
    expect(p.message).toBe('provider "openai" is built in and cannot be redeclared; choose another name');
  });

  it('a document that is not a mapping', () => {
    const p = onlyProblem('- id: a\n  kind: command\n');
    expect(p).toMatchObject({ file: 'flows/demo.yaml', line: 1, column: 1 });
    expect(p.message).toBe('a flow file must be a YAML mapping with a `phases:` list');
  });
});

describe('parseFlow: many problems', () => {
  it('reports every problem in the file at once, sorted by position', () => {
    const all = problems(yaml`
      nmae: demo
      phases:
        - id: a
          kind: command
          run: x
          depends_on: [zz]
        - id: a
          kind: command
          run: y
        - id: b
          kind: agent
          prompt: "{{phases.a.output}}"
        - id: c
          kind: comand
    `);
    expect(all.map((p) => [p.line, p.column, p.message])).toEqual([
      [1, 1, 'unknown key "nmae"; did you mean "name"?'],
      [6, 18, 'phase "a": depends on unknown phase "zz"'],
      [7, 9, 'phase "a": duplicate phase id (first declared on line 3)'],
      [10, 5, 'phase "b": no model; set `model:` on the phase or `defaults.model`'],
      [12, 14, 'phase "b": template {{phases.a.output}} names "a", which is not an ancestor: add "a" to depends_on'],
      [14, 11, 'phase "c": unknown kind "comand" (expected one of: agent, command, approval); did you mean "command"?'],
    ]);
    expect(all.every((p) => p.file === 'flows/demo.yaml')).toBe(true);
  });

  it('a phase with schema errors still has its dependencies, provider and templates checked', () => {
    const all = problems(yaml`
      phases:
        - id: a
          kind: agent
          model: nosuch:model
          max_steps: many
          depends_on: [zz]
          prompt: "{{inputs.topic}}"
          colour: red
        - id: b
          kind: agent
          max_steps: -1
          prompt: hi
        - id: c
          kind: agent
          model: 5
          prompt: hi
    `);
    expect(all.map((p) => [p.line, p.column, p.message])).toEqual([
      [4, 12, 'phase "a": unknown provider "nosuch" in model "nosuch:model" (known: openai, anthropic, ollama)'],
      [5, 16, 'phase "a": max_steps: invalid input: expected number, received string'],
      [6, 18, 'phase "a": depends on unknown phase "zz"'],
      [7, 14, 'phase "a": template {{inputs.topic}} names an input the flow does not declare (add it under `inputs:`)'],
      [8, 5, 'phase "a": unknown key "colour"'],
      [9, 5, 'phase "b": no model; set `model:` on the phase or `defaults.model`'],
      [11, 16, 'phase "b": max_steps: too small: expected number to be >=1'],
      [15, 12, 'phase "c": model: invalid input: expected string, received number'],
    ]);
  });

  it('every YAML syntax error gets its own position', () => {
    const all = problems(yaml`
      phases:
        - id: a
          kind: @command
          run: "make" all
    `);
    expect(all.map((p) => [p.line, p.column])).toEqual([
      [3, 11],
      [4, 17],
    ]);
    expect(all.every((p) => p.message.startsWith('YAML syntax: '))).toBe(true);
  });
});

describe('parseFlow never throws', () => {
  const aliasBomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 10; i++) aliasBomb.push(`l${i}: &l${i} [${Array(10).fill(i === 1 ? '*a' : `*l${i - 1}`).join(', ')}]`);
  const corpus: Record<string, string> = {
    'empty string': '',
    'only a comment': '# nothing\n',
    'empty list': '[]',
    number: '42',
    'bare string': 'hello',
    null: '~',
    'phases: 3': 'phases: 3',
    'phases of junk': 'phases: [1, null, "x"]',
    'empty phases': 'phases: []',
    'null phase': 'phases:\n  -\n',
    'deeply nested junk': `phases:\n  - id: {a: [[[{b: c}]]]}\n    kind: {x: [y]}\n    depends_on: {q: 1}\n`,
    'very deep nesting': `phases: ${'['.repeat(3000)}${']'.repeat(3000)}`,
    'alias bomb': `${aliasBomb.join('\n')}\nphases: []\n`,
    'recursive alias': 'x: &a [*a]\nphases: *a\n',
    'collection keys': '? [a, b]\n: c\n{x: 1}: 2\nphases: [{id: a, kind: command, run: x}]\n',
    tags: 'phases: !!set {a, b}\nname: !!binary aGVsbG8=\n',
    'custom tag': 'phases: !foo [1]\n',
    'two documents': 'phases: []\n---\nx: 1\n',
    tabs: 'phases:\n\t- id: a\n',
    'prototype keys': '__proto__: {x: 1}\nphases:\n  - {id: a, kind: command, run: x, constructor: 1}\n',
    'inputs of junk': 'inputs: [1, 2]\nproviders: 7\ndefaults: "x"\nphases:\n  - {id: a, kind: agent, prompt: "{{inputs.q}}"}\n',
  };
  for (const [name, text] of Object.entries(corpus)) {
    it(`returns problems for ${name}`, () => {
      const result = parseFlow(text, { file: 'junk.yaml' });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.problems.length).toBeGreaterThan(0);
      for (const p of result.problems) {
        expect(p.file).toBe('junk.yaml');
        expect(p.message).toEqual(expect.any(String));
        expect(p.line).toBeGreaterThanOrEqual(1);
        expect(p.column).toBeGreaterThanOrEqual(1);
      }
    });
  }
});

describe('parseFlow: hostile input is refused cheaply, with a position', () => {
  const FLOW = 'phases:\n  - { id: a, kind: command, run: x }\n';

  it('a NUL character is a problem at its line and column', () => {
    const p = onlyProblem('phases:\n  - { id: a, kind: command, run: "x\0y" }\n');
    expect(p).toMatchObject({ file: 'flows/demo.yaml', line: 2, column: 36 });
    expect(p.message).toBe('NUL character at line 2, column 36; flow files are UTF-8 text');
  });

  it('an unpaired surrogate (text that cannot be written as UTF-8) is a problem at its position', () => {
    const p = onlyProblem('phases:\n  - { id: a, kind: command, run: "x\ud800" }\n');
    expect(p).toMatchObject({ line: 2, column: 36 });
    expect(p.message).toContain('not valid Unicode');
  });

  it('text over the size cap is refused before parsing, naming its size and the cap', () => {
    const big = `${FLOW}# ${'x'.repeat(MAX_FLOW_BYTES)}\n`;
    const p = onlyProblem(big);
    expect(p).toMatchObject({ line: 1, column: 1 });
    expect(p.message).toBe(`the flow is 2 MiB (${big.length} bytes), over the limit of 2 MiB (2097152 bytes) for a flow file`);
    // The cap counts UTF-8 bytes, not characters: 1,200,000 "é" are 2.4 MB.
    expect(onlyProblem(`${FLOW}# ${'é'.repeat(1_200_000)}\n`).message).toMatch(/^the flow is 2.3 MiB \(2400\d{3} bytes\), over the limit/);
    const atCap = `${FLOW}#${'x'.repeat(MAX_FLOW_BYTES - FLOW.length - 2)}\n`;
    expect(atCap.length).toBe(MAX_FLOW_BYTES);
    expect(loaded(atCap).phases).toHaveLength(1);
  });

  /** Each shape at depth n, and a depth far past the cap (indentation costs n² bytes, so less there). */
  const deep: Record<string, [(n: number) => string, number]> = {
    'flow lists': [(n) => `phases: ${'['.repeat(n - 1)}${']'.repeat(n - 1)}\n`, 20_000],
    'flow maps': [(n) => `phases: ${'{a: '.repeat(n - 1)}1${'}'.repeat(n - 1)}\n`, 20_000],
    'compact block lists': [(n) => `phases:\n${'- '.repeat(n - 1)}x\n`, 20_000],
    'indented block maps': [(n) => `phases:\n${Array.from({ length: n - 1 }, (_, i) => `${' '.repeat(i + 1)}k:`).join('\n')} 1\n`, 1_200],
  };
  for (const [name, [make, huge]] of Object.entries(deep)) {
    it(`nesting of ${name} deeper than ${MAX_FLOW_DEPTH} levels is one problem at the first level too deep`, () => {
      expect(problems(make(MAX_FLOW_DEPTH)).some((p) => p.message.includes('nesting'))).toBe(false);
      const p = onlyProblem(make(MAX_FLOW_DEPTH + 1));
      expect(p.message).toBe(`nesting deeper than ${MAX_FLOW_DEPTH} levels at line ${p.line}, column ${p.column}; flatten this value (a flow needs a few levels)`);
      expect(onlyProblem(make(huge))).toMatchObject({ line: p.line, column: p.column });
    });
  }

  it('the first collection past the cap is located exactly', () => {
    expect(onlyProblem(`phases: ${'['.repeat(MAX_FLOW_DEPTH)}]`)).toMatchObject({ line: 1, column: 8 + MAX_FLOW_DEPTH });
    expect(onlyProblem(`phases:\n${'- '.repeat(MAX_FLOW_DEPTH)}x\n`)).toMatchObject({ line: 2, column: 2 * MAX_FLOW_DEPTH - 1 });
  });

  it(`refuses alias number ${MAX_FLOW_ALIASES + 1} (the YAML library resolves each alias by a scan of all before it)`, () => {
    const pairs = (n: number) => Array.from({ length: n }, (_, i) => `  - &a${i} v\n  - *a${i}`).join('\n');
    expect(problems(`x:\n${pairs(MAX_FLOW_ALIASES)}\n${FLOW}`).map((p) => p.message)).toEqual(['unknown key "x"']);
    const p = onlyProblem(`x:\n${pairs(20_000)}\n${FLOW}`);
    expect(p).toMatchObject({ line: 2 * MAX_FLOW_ALIASES + 3, column: 5 });
    expect(p.message).toBe(`more than ${MAX_FLOW_ALIASES} aliases (*name) at line ${p.line}, column 5; write the values out instead`);
  });

  it(`lists at most ${MAX_FLOW_PROBLEMS} problems, then how many more; each located through an index, not a scan`, () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `  k${i}: 0`);
    const all = problems(`${FLOW}layout:\n${keys.join('\n')}\n`);
    expect(all).toHaveLength(MAX_FLOW_PROBLEMS + 1);
    expect(all[0]).toMatchObject({ line: 4, column: 7, message: 'layout.k0: invalid input: expected object, received number' });
    expect(all[MAX_FLOW_PROBLEMS - 1]).toMatchObject({ line: 3 + MAX_FLOW_PROBLEMS, message: `layout.k${MAX_FLOW_PROBLEMS - 1}: invalid input: expected object, received number` });
    expect(all[MAX_FLOW_PROBLEMS]).toEqual({
      file: 'flows/demo.yaml',
      line: 4 + MAX_FLOW_PROBLEMS,
      column: 3 + String(MAX_FLOW_PROBLEMS).length + 3,
      path: [],
      message: `and ${20_000 - MAX_FLOW_PROBLEMS} more problems from here on (only the first ${MAX_FLOW_PROBLEMS} are listed)`,
    });
  });

  it('a second YAML document is one problem where it starts, saying what to do', () => {
    expect(onlyProblem('phases: []\n---\nx: 1\n')).toMatchObject({ line: 2, column: 1, message: 'YAML syntax: a flow file holds one YAML document; remove the second `---` and what follows it' });
  });

  it('finds a duplicate key among 30,000 keys of one mapping (key checks are not quadratic)', () => {
    const keys = Array.from({ length: 30_000 }, (_, i) => `  k${i}: 0`);
    keys.push('  k17: 1');
    const p = onlyProblem(`${FLOW}layout:\n${keys.join('\n')}\n`);
    expect(p).toMatchObject({ line: 30_004, column: 3 });
    expect(p.message).toBe('YAML syntax: Map keys must be unique');
  });
});
