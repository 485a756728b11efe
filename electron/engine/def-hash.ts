/**
 * Content hash of a phase definition as it executes: what it runs, with flow defaults
 * and its provider resolved. Fields that cannot change what a phase produces (its id,
 * dependencies, description, optional, retry, timeout) are left out, so tuning them
 * does not throw away saved work; dependencies are handled by the completed-set rule.
 */
import { createHash } from 'node:crypto';
import type { Flow, PhaseDef } from '../../shared/flow/schema';
import { DEFAULT_MAX_STEPS } from '../../shared/flow/schema';
import { assertNever } from '../../shared/status';

export function definitionHash(phase: PhaseDef, flow: Flow): string {
  return createHash('sha256').update(canonicalJson(executionView(phase, flow))).digest('hex').slice(0, 32);
}

function executionView(phase: PhaseDef, flow: Flow): unknown {
  const base = { kind: phase.kind, workdir: flow.workdir ?? null };
  switch (phase.kind) {
    case 'command':
      return { ...base, run: phase.run, env: phase.env ?? {} };
    case 'approval':
      return { ...base, prompt: phase.prompt };
    case 'agent': {
      const model = phase.model ?? flow.defaults.model ?? null;
      const provider = model ? flow.providers[model.slice(0, model.indexOf(':'))] ?? null : null;
      return {
        ...base,
        prompt: phase.prompt,
        system: phase.system ?? null,
        model,
        provider,
        tools: [...(phase.tools ?? [])].sort(),
        max_steps: phase.max_steps ?? flow.defaults.max_steps ?? DEFAULT_MAX_STEPS,
        // Only when set, so the hashes of phases saved before the key existed stay the same.
        ...maxOutputOf(phase, flow),
      };
    }
    default:
      return assertNever(phase);
  }
}

function maxOutputOf(phase: Extract<PhaseDef, { kind: 'agent' }>, flow: Flow): { max_output_tokens?: number } {
  const max = phase.max_output_tokens ?? flow.defaults.max_output_tokens;
  return max === undefined ? {} : { max_output_tokens: max };
}

/** JSON with object keys sorted at every level, so equal values hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
