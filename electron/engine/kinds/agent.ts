/**
 * `agent` phases: an LLM agent loop with tools (SPEC §2). The prompt and system prompt
 * are templates filled from inputs and upstream outputs (inserted as is, no quoting).
 * The model is `provider:model`, resolved from the phase environment when the phase
 * starts. The output is the model's final answer. See docs/agent-phases.md.
 *
 * This module stays light on purpose: the AI SDK and the provider packages (several
 * megabytes of JavaScript) load with the first agent phase that runs
 * (agent-execute.ts), so commands and runs without one never pay for them.
 */
import type { PhaseKindModule } from '../phase-kind';
import type { ModelRetryPolicy } from '../providers/model-retry';
import { withResumeNotice } from './agent-notice';

export interface AgentKindOptions {
  /** How model calls are retried (tests use short waits); default MODEL_RETRY. */
  retry?: ModelRetryPolicy;
}

export function createAgentKind(options: AgentKindOptions = {}): PhaseKindModule<'agent'> {
  return {
    kind: 'agent',
    applyResumeNotice: withResumeNotice,
    async execute(ctx) {
      const { executeAgent } = await import('./agent-execute');
      return executeAgent(ctx, options.retry);
    },
  };
}

export const agentKind = createAgentKind();
