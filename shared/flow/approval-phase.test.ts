/** `kind: approval` in flow files (SPEC §2): what loads, and what is refused with which message and where. */
import { describe, expect, it } from 'vitest';
import { applyEdit } from './edit';
import { parseFlow } from './load';

const flow = (phase: string) => `name: gate
phases:
  - { id: plan, kind: command, run: echo plan }
  - { id: other, kind: command, run: echo other }
${phase}
`;

function problems(text: string) {
  const result = parseFlow(text, { file: 'gate.yaml' });
  if (result.ok) throw new Error('expected problems');
  return result.problems.map((p) => ({ message: p.message, line: p.line, phaseId: p.phaseId }));
}

describe('approval phases', () => {
  it('load with a templated prompt and the keys every phase may have but retry and timeout', () => {
    const result = parseFlow(flow('  - { id: review, kind: approval, depends_on: [plan], optional: true, description: a person checks, prompt: "OK? {{phases.plan.output}}" }'));
    expect(result.ok && result.flow.phases.find((p) => p.id === 'review')).toEqual({ id: 'review', kind: 'approval', depends_on: ['plan'], optional: true, description: 'a person checks', prompt: 'OK? {{phases.plan.output}}' });
  });

  it('refuse retry and timeout, saying why, on the line of the key', () => {
    const found = problems(flow('  - id: review\n    kind: approval\n    prompt: check\n    retry: { attempts: 2 }\n    timeout: 1h'));
    expect(found).toEqual([
      { message: 'phase "review": retry: an approval phase is never retried (a rejection fails it; a resume asks again): remove `retry`', line: 8, phaseId: 'review' },
      { message: 'phase "review": timeout: an approval phase waits as long as the review takes (the run holds no process meanwhile): remove `timeout`', line: 9, phaseId: 'review' },
    ]);
  });

  it('need a prompt, whose templates name only ancestors and declared inputs', () => {
    expect(problems(flow('  - { id: review, kind: approval }'))[0]?.message).toBe('phase "review": missing required key "prompt"');
    expect(problems(flow('  - { id: review, kind: approval, prompt: "" }'))[0]?.message).toContain('an approval phase needs a non-empty prompt');
    expect(problems(flow('  - { id: review, kind: approval, depends_on: [plan], prompt: "{{phases.other.output}} {{inputs.who}}" }')).map((p) => p.message)).toEqual([
      'phase "review": template {{phases.other.output}} names "other", which is not an ancestor: add "other" to depends_on',
      'phase "review": template {{inputs.who}} names an input the flow does not declare (add it under `inputs:`)',
    ]);
  });

  it('can be added in the editor: the new phase is a valid approval', () => {
    const edited = applyEdit(flow(''), { type: 'add-phase', id: 'review', kind: 'approval' });
    expect(edited.ok).toBe(true);
    const result = edited.ok ? parseFlow(edited.source) : undefined;
    expect(result?.ok && result.flow.phases.at(-1)).toMatchObject({ id: 'review', kind: 'approval', prompt: expect.any(String) });
  });
});
