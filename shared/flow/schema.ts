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
  /** The most output tokens one model call may produce (sent to the provider); unset: the provider's own limit. */
  max_output_tokens: z.number().int().min(1).max(1_000_000).optional(),
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

/**
 * A person decides (SPEC §2): the phase shows `prompt` (a template) to a reviewer and
 * waits until someone approves or rejects it; its output is the reviewer's comment.
 * It is never retried (a rejection is a decision, and a resume asks again) and has no
 * timeout (a waiting run holds no process, however long the review takes): both keys
 * are refused, and the flow's `defaults.retry` / `defaults.timeout` do not apply to it.
 */
export const ApprovalPhase = z.strictObject({
  id: phaseCommon.id,
  depends_on: phaseCommon.depends_on,
  description: phaseCommon.description,
  optional: phaseCommon.optional,
  kind: z.literal('approval'),
  /** What the reviewer reads, e.g. the plan an earlier phase wrote. */
  prompt: z.string().min(1, 'an approval phase needs a non-empty prompt: what should the reviewer check?'),
  retry: z.never({ error: 'an approval phase is never retried (a rejection fails it; a resume asks again): remove `retry`' }).optional(),
  timeout: z.never({ error: 'an approval phase waits as long as the review takes (the run holds no process meanwhile): remove `timeout`' }).optional(),
});
export type ApprovalPhase = z.infer<typeof ApprovalPhase>;

/** Every phase kind, by its `kind` value. */
export const PHASE_KIND_SCHEMAS = {
  agent: AgentPhase,
  command: CommandPhase,
  approval: ApprovalPhase,
} as const;
export const PHASE_KINDS = Object.keys(PHASE_KIND_SCHEMAS) as (keyof typeof PHASE_KIND_SCHEMAS)[];
export type PhaseKind = keyof typeof PHASE_KIND_SCHEMAS;

export const PhaseDef = z.discriminatedUnion('kind', [AgentPhase, CommandPhase, ApprovalPhase]);
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
  /** The most output tokens one model call may produce (sent to the provider); unset: the provider's own limit. */
  max_output_tokens: z.number().int().min(1).max(1_000_000).optional(),
  timeout: Duration.optional(),
  retry: RetrySpec.optional(),
});

/**
 * What a run may spend across all its attempts (SPEC §2): USD (needs a price for every
 * model the flow uses) and/or tokens (input plus output). At least one.
 */
export const BudgetSpec = z
  .strictObject({
    usd: z.number().positive('a budget in USD must be more than 0').finite().optional(),
    tokens: z.number().int('a token budget is a whole number of tokens').positive('a token budget must be more than 0').optional(),
  })
  .refine((b) => b.usd !== undefined || b.tokens !== undefined, { message: 'a budget needs `usd`, `tokens` or both, e.g. budget: { usd: 5 }' });
export type BudgetSpec = z.infer<typeof BudgetSpec>;

const usdPerMillion = (what: string) => z.number().nonnegative(`the ${what} price must be 0 or more (USD per million tokens)`).finite();

/** Prices of one model in USD per million tokens, overriding or adding to the catalogue. */
export const PriceSpec = z.strictObject({
  input: usdPerMillion('input'),
  output: usdPerMillion('output'),
  /** Input tokens read from a prompt cache; default: the input price. */
  cached_input: usdPerMillion('cached_input').optional(),
});
export type PriceSpec = z.infer<typeof PriceSpec>;

/** `prices:` keys are models as phases write them: "provider:model". */
export const PricesSpec = z.record(z.string(), PriceSpec).check((ctx) => {
  for (const key of Object.keys(ctx.value)) {
    if (!/^[^:\s]+:\S+$/.test(key)) ctx.issues.push({ code: 'custom', input: key, path: [key], message: `"${key}" is not a model: key a price by provider:model, e.g. "local:llama3.2"` });
  }
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
  budget: BudgetSpec.optional(),
  prices: PricesSpec.optional(),
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
  /** Spending limits of a run of this flow (SPEC §2); absent: none. */
  budget?: BudgetSpec;
  /** Model prices per million tokens, by "provider:model"; over the catalogue's. */
  prices?: Record<string, PriceSpec>;
  phases: PhaseDef[];
  layout?: z.infer<typeof LayoutSpec>;
}

export function dependenciesOf(phase: PhaseDef): string[] {
  return phase.depends_on ?? [];
}
