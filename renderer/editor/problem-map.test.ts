import { describe, expect, it } from 'vitest';
import { analyseFlow } from './model';
import { fieldProblems, shortMessage } from './problem-map';

const BROKEN = `name: broken
colour: blue
phases:
  - id: write
    kind: agent
    model: "openai:gpt-4o-mini"
    prompts: "typo in the key"
  - id: test
    kind: command
    depends_on: [biuld]
    run: echo {{phases.nomodel.output}}
  - id: retry_me
    kind: command
    run: make
    retry: { attempts: 0 }
  - id: nomodel
    kind: agent
    prompt: hi
`;

describe('validation problems on nodes and fields', () => {
  const { problems, byPhase, valid } = analyseFlow(BROKEN, 'broken.yaml');

  it('runs the engine\'s own loader', () => {
    expect(valid).toBe(false);
    expect(problems.length).toBeGreaterThanOrEqual(6);
  });

  it('files each problem under its phase and the field it concerns', () => {
    expect(fieldProblems(byPhase, 'write', 'prompt').map(shortMessage)).toEqual(['missing required key "prompt"']);
    expect(fieldProblems(byPhase, 'write', 'prompts').map(shortMessage)).toEqual([expect.stringContaining('unknown key "prompts"')]);
    expect(fieldProblems(byPhase, 'test', 'depends_on').map(shortMessage)).toEqual(['depends on unknown phase "biuld"']);
    expect(fieldProblems(byPhase, 'test', 'run').map(shortMessage)).toEqual([expect.stringContaining('not an ancestor')]);
    expect(fieldProblems(byPhase, 'retry_me', 'retry')).toHaveLength(1);
  });

  it('keeps problems of the phase as a whole apart, and the flow\'s own problems separate', () => {
    expect(byPhase.phases.get('nomodel')?.general.map(shortMessage)).toEqual([expect.stringContaining('no model')]);
    expect(byPhase.flow.map((p) => p.message)).toEqual([expect.stringContaining('unknown key "colour"')]);
    const counted = [...byPhase.phases.values()].reduce((n, p) => n + p.all.length, 0) + byPhase.flow.length;
    expect(counted).toBe(problems.length);
  });

  it('has nothing to show for a valid flow', () => {
    const ok = analyseFlow('phases:\n  - { id: a, kind: command, run: echo }\n', 'ok.yaml');
    expect(ok.valid).toBe(true);
    expect(ok.byPhase.phases.size).toBe(0);
    expect(ok.byPhase.flow).toEqual([]);
  });

  it('maps a YAML syntax error to the flow', () => {
    const bad = analyseFlow('phases:\n  - id: a\n   kind: x\n', 'bad.yaml');
    expect(bad.byPhase.flow[0]?.message).toMatch(/^YAML syntax/);
  });
});
