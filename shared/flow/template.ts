/**
 * Templates: `{{inputs.NAME}}` and `{{phases.ID.output}}` (SPEC §2). Parsing is separate
 * from rendering so the loader can check references without running anything.
 */

export type TemplateRef = { type: 'input'; name: string } | { type: 'output'; phaseId: string };

export interface TemplatePart {
  ref?: TemplateRef;
  /** The raw expression, for error messages. */
  expression: string;
  /** Offset of `{{` in the template string. */
  offset: number;
  length: number;
  /** Set when the expression is not a valid reference. */
  error?: string;
}

const PLACEHOLDER = /\{\{(.*?)\}\}/g;
const INPUT_REF = /^inputs\.([A-Za-z_][A-Za-z0-9_-]*)$/;
const OUTPUT_REF = /^phases\.([a-z0-9_-]+)\.output$/;

export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const expression = (match[1] as string).trim();
    const base = { expression, offset: match.index, length: match[0].length };
    const input = INPUT_REF.exec(expression);
    const output = OUTPUT_REF.exec(expression);
    if (input) parts.push({ ...base, ref: { type: 'input', name: input[1] as string } });
    else if (output) parts.push({ ...base, ref: { type: 'output', phaseId: output[1] as string } });
    else parts.push({ ...base, error: `unknown template expression "{{${expression}}}" (expected {{inputs.NAME}} or {{phases.ID.output}})` });
  }
  return parts;
}

/** The phase ids a template reads outputs from. */
export function referencedPhases(template: string): string[] {
  return parseTemplate(template).flatMap((p) => (p.ref?.type === 'output' ? [p.ref.phaseId] : []));
}

/**
 * Substitutes every reference with `resolve(ref)`, passed through `encode` (identity for
 * prompts, shell quoting for commands). Resolution errors propagate to the caller.
 */
export function renderTemplate(template: string, resolve: (ref: TemplateRef) => string, encode: (value: string) => string = (v) => v): string {
  let out = '';
  let last = 0;
  for (const part of parseTemplate(template)) {
    out += template.slice(last, part.offset);
    if (!part.ref) throw new Error(part.error);
    out += encode(resolve(part.ref));
    last = part.offset + part.length;
  }
  return out + template.slice(last);
}

/** Renames a phase in every `{{phases.OLD.output}}` of a template (used by the editor). */
export function renamePhaseInTemplate(template: string, from: string, to: string): string {
  return template.replace(PLACEHOLDER, (whole, inner: string) => {
    const m = OUTPUT_REF.exec(inner.trim());
    return m && m[1] === from ? `{{phases.${to}.output}}` : whole;
  });
}
