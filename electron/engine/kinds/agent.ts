/**
 * `agent` phases: an LLM agent loop with tools (SPEC §2). The prompt and system prompt
 * are templates filled from inputs and upstream outputs (inserted as is, no quoting).
 * The model is `provider:model`, resolved from the phase environment when the phase
 * starts. The output is the model's final answer. See docs/agent-phases.md.
 */
import { renderTemplate, type TemplateRef } from '../../../shared/flow/template';
import { DEFAULT_MAX_STEPS } from '../../../shared/flow/schema';
import { WaymarkError } from '../../../shared/errors';
import type { PhaseContext, PhaseKindModule } from '../phase-kind';
import { createModel } from '../providers/create-model';
import { MODEL_RETRY, type ModelRetryPolicy } from '../providers/model-retry';
import { providerKeyNames, resolveProvider } from '../providers/provider-config';
import { sdkTools } from '../tools';
import { commandEnv } from '../tools/tool-env';
import { runAgentLoop } from './agent-loop';
import { DEFAULT_SYSTEM, withResumeNotice } from './agent-notice';

export interface AgentKindOptions {
  /** How model calls are retried (tests use short waits). */
  retry?: ModelRetryPolicy;
}

export function createAgentKind(options: AgentKindOptions = {}): PhaseKindModule<'agent'> {
  const retry = options.retry ?? MODEL_RETRY;
  return {
    kind: 'agent',
    applyResumeNotice: withResumeNotice,
    async execute(ctx) {
      const { phase, flow } = ctx;
      const modelName = phase.model ?? flow.defaults.model;
      if (!modelName) throw new WaymarkError('PROVIDER_CONFIG', `phase "${phase.id}": no model; set \`model:\` on the phase or \`defaults.model\` in the flow`);
      const target = resolveProvider(flow, modelName, ctx.env);
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
        retry,
      });
      return { output };
    },
  };
}

export const agentKind = createAgentKind();

function templateResolver(ctx: PhaseContext): (ref: TemplateRef) => string {
  return (ref) => (ref.type === 'input' ? (ctx.inputs[ref.name] ?? '') : (ctx.outputs.get(ref.phaseId) ?? ''));
}
