/**
 * Which fields the side panel shows for a phase, read from the engine's own schema
 * (PHASE_KIND_SCHEMAS): a new kind's fields appear without editor changes. This table
 * only says how to edit each field; a field it does not know gets a text box.
 */
import * as z from 'zod';
import { PHASE_KIND_SCHEMAS, PHASE_KINDS, type PhaseKind } from '../../shared/flow/schema';

export type Widget = 'text' | 'textarea' | 'code' | 'number' | 'checkbox' | 'tools' | 'depends' | 'retry' | 'env';

export interface FieldSpec {
  widget: Widget;
  label: string;
  help?: string;
  placeholder?: string;
}

export const FIELD_SPECS: Readonly<Record<string, FieldSpec>> = {
  prompt: { widget: 'textarea', label: 'Prompt', help: 'Templates: {{inputs.NAME}}, {{phases.ID.output}}' },
  run: { widget: 'code', label: 'Command', help: 'A shell command line; its stdout is the output. Template values are inserted shell-quoted.' },
  system: { widget: 'textarea', label: 'System prompt', help: 'Optional: how the model should behave' },
  model: { widget: 'text', label: 'Model', placeholder: 'provider:model' },
  tools: { widget: 'tools', label: 'Tools' },
  max_steps: { widget: 'number', label: 'Max steps' },
  max_output_tokens: { widget: 'number', label: 'Max output tokens' },
  env: { widget: 'env', label: 'Environment', help: 'One NAME=value per line' },
  depends_on: { widget: 'depends', label: 'Depends on' },
  description: { widget: 'text', label: 'Description' },
  timeout: { widget: 'text', label: 'Timeout', placeholder: 'e.g. 30s, 5m, 1h' },
  retry: { widget: 'retry', label: 'Retry' },
  optional: { widget: 'checkbox', label: 'Optional', help: 'A failure does not fail the run' },
  sandbox: { widget: 'checkbox', label: 'Sandbox', help: 'Run the command sandboxed: it writes only in the workspace and sees no keys' },
  network: { widget: 'checkbox', label: 'Network', help: 'Let sandboxed commands use the network' },
};

/** Display order; fields of a kind that are not listed come after, in schema order. */
const ORDER = ['prompt', 'run', 'system', 'model', 'tools', 'max_steps', 'max_output_tokens', 'env', 'sandbox', 'network', 'depends_on', 'description', 'timeout', 'retry', 'optional'];

/** The editable fields of a kind (`id` and `kind` are shown apart), or none for an unknown kind. */
export function fieldsOf(kind: string): string[] {
  if (!(PHASE_KINDS as string[]).includes(kind)) return [];
  const shape: Record<string, z.ZodType> = PHASE_KIND_SCHEMAS[kind as PhaseKind].shape;
  // Keys a kind refuses (z.never: an approval's retry and timeout) are not offered.
  const keys = Object.keys(shape).filter((k) => k !== 'id' && k !== 'kind' && !refused(shape[k]));
  const rank = (k: string) => (ORDER.includes(k) ? ORDER.indexOf(k) : ORDER.length);
  return keys.sort((a, b) => rank(a) - rank(b));
}

function refused(schema: z.ZodType | undefined): boolean {
  const inner = schema instanceof z.ZodOptional ? schema.unwrap() : schema;
  return inner instanceof z.ZodNever;
}

export function specOf(field: string): FieldSpec {
  return FIELD_SPECS[field] ?? { widget: 'text', label: field };
}

/** `NAME=value` lines → a mapping; lines without `=` are kept as names with an empty value. */
export function parseEnvLines(text: string): Record<string, string> | undefined {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const eq = line.indexOf('=');
    env[(eq < 0 ? line : line.slice(0, eq)).trim()] = eq < 0 ? '' : line.slice(eq + 1);
  }
  return Object.keys(env).length > 0 ? env : undefined;
}

export function envLines(value: unknown): string {
  if (typeof value !== 'object' || value === null) return '';
  return Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`).join('\n');
}

/** What a text box shows for a value of any type. */
export function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
