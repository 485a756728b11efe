import { describe, expect, it } from 'vitest';
import { parseTemplate, referencedPhases, renamePhaseInTemplate, renderTemplate, type TemplateRef } from './template';

describe('parseTemplate', () => {
  it('finds input and output references with their offsets', () => {
    const template = 'Use {{inputs.service}} and {{phases.research.output}}.';
    expect(parseTemplate(template)).toEqual([
      { expression: 'inputs.service', offset: 4, length: 18, ref: { type: 'input', name: 'service' } },
      { expression: 'phases.research.output', offset: 27, length: 26, ref: { type: 'output', phaseId: 'research' } },
    ]);
  });

  it('tolerates spaces inside the braces', () => {
    expect(parseTemplate('{{ inputs.x }}')[0]).toMatchObject({ ref: { type: 'input', name: 'x' }, offset: 0, length: 14 });
  });

  it('accepts the id and input name alphabets of the schema', () => {
    expect(parseTemplate('{{phases.step-2_b.output}} {{inputs.Api_key-1}}').map((p) => p.ref)).toEqual([
      { type: 'output', phaseId: 'step-2_b' },
      { type: 'input', name: 'Api_key-1' },
    ]);
  });

  it('marks anything else as an error naming the expression', () => {
    for (const bad of ['{{foo}}', '{{phases.a}}', '{{phases.a.stdout}}', '{{phases.A.output}}', '{{inputs.}}', '{{inputs.1x}}', '{{}}']) {
      const [part] = parseTemplate(bad);
      expect(part?.ref).toBeUndefined();
      expect(part?.error).toContain(`"${bad}"`);
      expect(part?.error).toContain('expected {{inputs.NAME}} or {{phases.ID.output}}');
    }
  });

  it('ignores text without complete placeholders', () => {
    expect(parseTemplate('')).toEqual([]);
    expect(parseTemplate('plain text, { single } braces, {{ unclosed')).toEqual([]);
    expect(parseTemplate('a {{inputs.x\n}} b')).toEqual([]);
  });

  it('referencedPhases lists output references only', () => {
    expect(referencedPhases('{{inputs.a}} {{phases.b.output}} {{phases.c.output}} {{bad}}')).toEqual(['b', 'c']);
  });
});

describe('renderTemplate', () => {
  const values: Record<string, string> = { 'input:name': "O'Brien", 'output:list': 'a; b', 'input:empty': '' };
  const resolve = (ref: TemplateRef) => {
    const key = ref.type === 'input' ? `input:${ref.name}` : `output:${ref.phaseId}`;
    const value = values[key];
    if (value === undefined) throw new Error(`no value for ${key}`);
    return value;
  };

  it('substitutes every reference and keeps the text around them', () => {
    expect(renderTemplate('Hi {{inputs.name}}! Items: {{ phases.list.output }}.', resolve)).toBe("Hi O'Brien! Items: a; b.");
  });

  it('passes each substituted value, and only it, through the encoder', () => {
    const encode = (v: string) => `<${v.toUpperCase()}>`;
    expect(renderTemplate('echo {{inputs.name}} then {{phases.list.output}}{{inputs.empty}} end', resolve, encode)).toBe("echo <O'BRIEN> then <A; B><> end");
  });

  it('does not re-expand placeholders that appear inside substituted values', () => {
    const tricky = (ref: TemplateRef) => (ref.type === 'input' ? '{{phases.secret.output}}' : 'LEAK');
    expect(renderTemplate('{{inputs.x}}', tricky)).toBe('{{phases.secret.output}}');
  });

  it('returns text without placeholders unchanged', () => {
    expect(renderTemplate('no {braces} here', resolve, () => 'X')).toBe('no {braces} here');
  });

  it('throws on an invalid expression and propagates resolver errors', () => {
    expect(() => renderTemplate('{{oops}}', resolve)).toThrow('unknown template expression "{{oops}}"');
    expect(() => renderTemplate('{{inputs.missing}}', resolve)).toThrow('no value for input:missing');
  });
});

describe('renamePhaseInTemplate', () => {
  it('renames every output reference to the phase, and nothing else', () => {
    const template = '{{phases.old.output}} and {{ phases.old.output }}, {{phases.older.output}}, {{inputs.old}}, phases.old.output';
    expect(renamePhaseInTemplate(template, 'old', 'new')).toBe('{{phases.new.output}} and {{phases.new.output}}, {{phases.older.output}}, {{inputs.old}}, phases.old.output');
  });

  it('leaves a template without the phase untouched', () => {
    const template = 'echo {{phases.other.output}} {{bad expr}}';
    expect(renamePhaseInTemplate(template, 'old', 'new')).toBe(template);
  });

  it('produces a template that parses to the new reference', () => {
    const renamed = renamePhaseInTemplate('x {{phases.a.output}} y', 'a', 'b-2');
    expect(referencedPhases(renamed)).toEqual(['b-2']);
  });
});
