/**
 * Whole-flow checks at scale: a generated flow of thousands of phases is validated
 * correctly (and, as the bench shows, in linear time), and no one problem's cost grows
 * with the size of the flow.
 */
import { describe, expect, it } from 'vitest';
import { MAX_FLOW_PROBLEMS } from './limits';
import { parseFlow } from './load';
import type { FlowProblem } from './problems';

function problems(text: string): FlowProblem[] {
  const result = parseFlow(text, { file: 'big.yaml' });
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

describe('checkFlowSemantics on big flows', () => {
  it('a 12,000-phase chain declared dependents-first (once a stack overflow), each phase naming an ancestor', () => {
    const n = 12_000;
    const lines = ['phases:'];
    for (let i = n - 1; i >= 0; i--) {
      const run = i < 2 ? 'x' : `"{{phases.p${i % 2 === 0 ? 0 : i - 2}.output}}"`;
      lines.push(`- {id: p${i}, kind: command, run: ${run}${i > 0 ? `, depends_on: [p${i - 1}]` : ''}}`);
    }
    const result = parseFlow(`${lines.join('\n')}\n`);
    if (!result.ok) throw new Error(result.problems.slice(0, 3).map((p) => p.message).join('\n'));
    expect(result.flow.phases.map((p) => p.id).slice(0, 3)).toEqual(['p0', 'p1', 'p2']);
    expect(result.flow.phases[n - 1]?.id).toBe(`p${n - 1}`);
  });

  it('a random 8,000-phase DAG: every template naming a non-ancestor is reported, and only those', () => {
    let seed = 3;
    const random = (k: number) => Math.floor(((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * k);
    const n = 8_000;
    const deps: number[][] = [];
    const lines = ['phases:'];
    const expected: string[] = [];
    for (let i = 0; i < n; i++) {
      deps.push(i === 0 ? [] : [...new Set([i - 1 - random(Math.min(i, 5)), random(i)])]);
      // An ancestor, found by walking dependencies; and, for every 50th phase, a later phase, which never is one.
      let ancestor = i;
      for (let steps = 1 + random(30); steps > 0 && (deps[ancestor] as number[]).length > 0; steps--) ancestor = (deps[ancestor] as number[])[0] as number;
      const refs = [ancestor === i ? '' : `{{phases.p${ancestor}.output}}`];
      if (i % 50 === 0 && i + 1 < n) {
        const later = i + 1 + random(n - i - 1);
        refs.push(`{{phases.p${later}.output}}`);
        expected.push(`phase "p${i}": template {{phases.p${later}.output}} names "p${later}", which is not an ancestor: add "p${later}" to depends_on`);
      }
      const dependsOn = (deps[i] as number[]).length > 0 ? `, depends_on: [${(deps[i] as number[]).map((d) => `p${d}`).join(', ')}]` : '';
      lines.push(`  - { id: p${i}, kind: command, run: "echo ${refs.join(' ')}"${dependsOn} }`);
    }
    const found = problems(`${lines.join('\n')}\n`);
    expect(found.map((p) => p.message)).toEqual(expected);
    expect(found[1]).toMatchObject({ line: 52, phaseId: 'p50' });
  });

  it('hundreds of unknown dependencies: each reported, "did you mean" only for the first 20', () => {
    const n = 900;
    const lines = ['phases:'];
    for (let i = 0; i < n; i++) lines.push(`  - { id: phase${i}, kind: command, run: x${i > 0 ? `, depends_on: [phase${i - 1}x]` : ''} }`);
    const found = problems(`${lines.join('\n')}\n`);
    expect(found).toHaveLength(n - 1);
    expect(found[0]?.message).toBe('phase "phase1": depends on unknown phase "phase0x"; did you mean "phase0"?');
    expect(found[19]?.message).toBe('phase "phase20": depends on unknown phase "phase19x"; did you mean "phase19"?');
    expect(found[20]?.message).toBe('phase "phase21": depends on unknown phase "phase20x"');
    expect(found[n - 2]?.message).toBe(`phase "phase${n - 1}": depends on unknown phase "phase${n - 2}x"`);
  });

  it('a message lists the first 10 of many declared names, not all of them', () => {
    const inputs = Array.from({ length: 5_000 }, (_, i) => `  in${i}: {}`).join('\n');
    const found = problems(`inputs:\n${inputs}\nphases:\n  - { id: a, kind: command, run: "{{inputs.nope}}" }\n`);
    expect(found.map((p) => p.message)).toEqual([
      'phase "a": template {{inputs.nope}} names an input the flow does not declare (declared: in0, in1, in2, in3, in4, in5, in6, in7, in8, in9 and 4990 more)',
    ]);
  });

  it('distinct and repeated template errors in one long prompt are each located at their own column', () => {
    const refs = Array.from({ length: 30_000 }, (_, i) => `{{bad${i % 2 === 0 ? i : i - 1}}}`).join(' ');
    const found = problems(`phases:\n  - { id: a, kind: command, run: "${refs}" }\n`);
    expect(found).toHaveLength(MAX_FLOW_PROBLEMS + 1);
    let column = '  - { id: a, kind: command, run: "'.length + 1;
    const expected = Array.from({ length: 30_000 }, (_, i) => {
      const at = [2, column];
      column += `{{bad${i % 2 === 0 ? i : i - 1}}}`.length + 1;
      return at;
    });
    expect(found.map((p) => [p.line, p.column])).toEqual(expected.slice(0, MAX_FLOW_PROBLEMS + 1));
  });
});
