/**
 * The body of an `agent` phase (agent.ts): resolves the model, fills the templates and
 * runs the tool loop. It is the only way into the AI SDK and the provider packages, so
 * agent.ts loads it with the first agent phase that runs, not at start-up.
 */
import { renderTemplate, type TemplateRef } from '../../../shared/flow/template';
import { DEFAULT_MAX_STEPS, type AgentPhase } from '../../../shared/flow/schema';
import { WaymarkError } from '../../../shared/errors';
import type { PhaseContext, PhaseOutcome } from '../phase-kind';
import { priceFor } from '../pricing/price-for';
import { createModel } from '../providers/create-model';
import { MODEL_RETRY, type ModelRetryPolicy } from '../providers/model-retry';
import { providerKeyNames, resolveProvider } from '../providers/provider-config';
import { sdkTools } from '../tools';
import { commandEnv } from '../tools/tool-env';
import { runAgentLoop } from './agent-loop';
import { DEFAULT_SYSTEM } from './agent-notice';

/** Runs one try of an agent phase; `retry` defaults to MODEL_RETRY. */
export async function executeAgent(ctx: PhaseContext<AgentPhase>, retry: ModelRetryPolicy = MODEL_RETRY): Promise<PhaseOutcome> {
  const { phase, flow } = ctx;
  const modelName = phase.model ?? flow.defaults.model;
  if (!modelName) throw new WaymarkError('PROVIDER_CONFIG', `phase "${phase.id}": no model; set \`model:\` on the phase or \`defaults.model\` in the flow`);
  const target = resolveProvider(flow, modelName, ctx.env);
  const price = await priceFor(modelName, flow.prices);
  const resolve = templateResolver(ctx);
  const toolNames = phase.tools ?? [];
  const output = await runAgentLoop(ctx, {
    target,
    model: createModel(target),
    system: renderTemplate(phase.system ?? DEFAULT_SYSTEM, resolve),
    prompt: renderTemplate(phase.prompt, resolve),
    toolNames,
    tools: sdkTools(toolNames),
    toolContext: {
      workdir: ctx.workdir,
      env: commandEnv(ctx.env, providerKeyNames(flow)),
      signal: ctx.signal,
      sandbox: ctx.sandbox,
      network: phase.network ?? false,
      onOutput: (stream, text) => ctx.emit({ type: 'phase.log', runId: ctx.runId, phaseId: phase.id, stream, text }),
      trackProcess: ctx.trackProcess,
    },
    maxSteps: phase.max_steps ?? flow.defaults.max_steps ?? DEFAULT_MAX_STEPS,
    ...maxOutput(phase.max_output_tokens ?? flow.defaults.max_output_tokens),
    retry,
    price,
  });
  return { output };
}

function templateResolver(ctx: PhaseContext): (ref: TemplateRef) => string {
  return (ref) => (ref.type === 'input' ? (ctx.inputs[ref.name] ?? '') : (ctx.outputs.get(ref.phaseId) ?? ''));
}

function maxOutput(tokens: number | undefined): { maxOutputTokens?: number } {
  return tokens === undefined ? {} : { maxOutputTokens: tokens };
}
