/**
 * The flow file schema (SPEC §2), the single source of truth for the loader, the
 * editor's live validation and the API. Unknown keys are rejected everywhere.
 *
 * Adding a phase kind: one schema here, one entry in `PHASE_KIND_SCHEMAS`, one module in
 * electron/engine/kinds/ registered by kind.
 */
import * as z from 'zod';
import { parseDuration } from '../duration';

export const PHASE_ID_PATTERN = /^[a-z0-9_-]+$/;
export const PhaseId = z.string().regex(PHASE_ID_PATTERN, 'a phase id may only contain a-z, 0-9, "_" and "-"');

export const INPUT_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const TOOL_NAMES = ['read_file', 'write_file', 'list_files', 'run_command'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

export const BUILTIN_PROVIDERS = ['openai', 'anthropic', 'ollama'] as const;
export type BuiltinProvider = (typeof BUILTIN_PROVIDERS)[number];

export const DEFAULT_MAX_PARALLEL = 4;
export const DEFAULT_MAX_STEPS = 20;

/** A duration: seconds as a number, or "500ms", "30s", "5m", "1h30m". */
export const Duration = z
  .union([z.number(), z.string()])
  .refine((v) => parseDuration(v) !== undefined, { message: 'expected a duration such as "30s", "5m", "1h" or a number of seconds' });

/** Phase-level retry policy: `attempts` counts every try, the first included. */
export const RetrySpec = z.strictObject({
  attempts: z.number().int().min(1).max(100),
  /** Wait before the second try; doubles (times `backoff`) for each further try. Default 1s. */
  delay: Duration.optional(),
  backoff: z.number().min(1).max(10).optional(),
  max_delay: Duration.optional(),
});
export type RetrySpec = z.infer<typeof RetrySpec>;

const Scalar = z.union([z.string(), z.number(), z.boolean()]);

const phaseCommon = {
  id: PhaseId,
  depends_on: z.array(PhaseId).optional(),
  description: z.string().optional(),
  optional: z.boolean().optional(),
  retry: RetrySpec.optional(),
  timeout: Duration.optional(),
};

export const AgentPhase = z.strictObject({
  ...phaseCommon,
  kind: z.literal('agent'),
  prompt: z.string().min(1, 'an agent phase needs a non-empty prompt'),
  system: z.string().optional(),
  /** "provider:model", e.g. "openai:gpt-4o-mini" or "local:llama3.2". */
  model: z.string().optional(),
  tools: z.array(z.enum(TOOL_NAMES, { error: (issue) => `unknown tool ${JSON.stringify(issue.input)} (expected one of: ${TOOL_NAMES.join(', ')})` })).optional(),
  max_steps: z.number().int().min(1).max(1000).optional(),
  /** Let `run_command` use the network inside its sandbox. Default: no network. */
  network: z.boolean().optional(),
});
export type AgentPhase = z.infer<typeof AgentPhase>;

export const CommandPhase = z.strictObject({
  ...phaseCommon,
  kind: z.literal('command'),
  /** A shell command line; template values are inserted shell-quoted. */
  run: z.string().min(1, 'a command phase needs a non-empty `run`'),
  env: z.record(z.string().regex(ENV_NAME_PATTERN, 'not a valid environment variable name'), Scalar).optional(),
  /** Run the command in the sandbox `run_command` uses (opt-in; default: unsandboxed). */
  sandbox: z.boolean().optional(),
  /** With `sandbox: true`: allow network inside it. Without the sandbox it means nothing, so it is refused. */
  network: z.boolean().optional(),
}).refine((p) => p.network === undefined || p.sandbox === true, {
  path: ['network'],
  message: '`network` only applies to a sandboxed command: add `sandbox: true` or remove `network` (an unsandboxed command already has the network)',
});
export type CommandPhase = z.infer<typeof CommandPhase>;

/** Every phase kind, by its `kind` value. */
export const PHASE_KIND_SCHEMAS = {
  agent: AgentPhase,
  command: CommandPhase,
} as const;
export const PHASE_KINDS = Object.keys(PHASE_KIND_SCHEMAS) as (keyof typeof PHASE_KIND_SCHEMAS)[];
export type PhaseKind = keyof typeof PHASE_KIND_SCHEMAS;

export const PhaseDef = z.discriminatedUnion('kind', [AgentPhase, CommandPhase]);
export type PhaseDef = z.infer<typeof PhaseDef>;

export const InputSpec = z.strictObject({
  default: Scalar.optional(),
  description: z.string().optional(),
});

export const ProviderSpec = z.strictObject({
  type: z.literal('openai-compatible'),
  base_url: z.url({ message: 'base_url must be a URL such as "http://127.0.0.1:11434/v1"' }),
  /** Name of the environment variable holding the API key, if the server needs one. */
  api_key_env: z.string().regex(ENV_NAME_PATTERN, 'not a valid environment variable name').optional(),
});
export type ProviderSpec = z.infer<typeof ProviderSpec>;

export const DefaultsSpec = z.strictObject({
  model: z.string().optional(),
  max_steps: z.number().int().min(1).max(1000).optional(),
  timeout: Duration.optional(),
  retry: RetrySpec.optional(),
});

/** Editor node positions, kept in the flow file so they travel with it. */
export const LayoutSpec = z.record(PhaseId, z.strictObject({ x: z.number(), y: z.number() }));

/** The top level of a flow file. `phases` items are checked one by one, by kind. */
export const FlowFileSpec = z.strictObject({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  inputs: z.record(z.string().regex(INPUT_NAME_PATTERN, 'not a valid input name'), InputSpec.nullable()).optional(),
  providers: z.record(z.string().regex(/^[a-z0-9_-]+$/, 'a provider name may only contain a-z, 0-9, "_" and "-"'), ProviderSpec).optional(),
  defaults: DefaultsSpec.optional(),
  max_parallel: z.number().int().min(1).max(256).optional(),
  workdir: z.string().min(1).optional(),
  phases: z.array(z.unknown()).min(1, 'a flow needs at least one phase'),
  layout: LayoutSpec.optional(),
});

export interface InputDecl {
  default?: string;
  description?: string;
}

/** A loaded, validated flow: phases sorted dependencies-first (stable). */
export interface Flow {
  name: string;
  description?: string;
  /** Absolute path of the flow file, when it came from one. */
  file?: string;
  inputs: Record<string, InputDecl>;
  providers: Record<string, ProviderSpec>;
  defaults: z.infer<typeof DefaultsSpec>;
  maxParallel: number;
  workdir?: string;
  phases: PhaseDef[];
  layout?: z.infer<typeof LayoutSpec>;
}

export function dependenciesOf(phase: PhaseDef): string[] {
  return phase.depends_on ?? [];
}
