/**
 * The agent loop, one model call per step: call the model, record its response, run
 * the tools it asked for (recording each result), repeat until it answers without a
 * tool call. Everything is appended to the transcript as it completes, so a crash at
 * any point leaves a conversation the next try can continue (agent-start.ts).
 */
import type { LanguageModel, ModelMessage, ToolSet } from 'ai';
import { toErrorData } from '../../../shared/errors';
import type { ToolName } from '../../../shared/flow/schema';
import { PhaseFailure, PhaseWaiting, type PhaseContext } from '../phase-kind';
import { stepCost, worstCaseCost, type PriceTable } from '../pricing/model-price';
import { RetriesExhausted, withModelRetry, type ModelRetryPolicy } from '../providers/model-retry';
import { describeModelError, isTransient } from '../providers/provider-errors';
import type { ProviderTarget } from '../providers/provider-config';
import type { ToolContext } from '../tools';
import { DeltaBuffer } from './agent-deltas';
import { finalAnswer, pendingToolCalls } from './agent-messages';
import { planStart } from './agent-start';
import { callModel, EmptyModelResponse, type StepResult } from './agent-step';
import { ToolCaller } from './agent-tool-calls';
import { isTruncated, TruncatedResponse } from './agent-truncation';
import { TranscriptWriter } from './agent-transcript';

export interface AgentSetup {
  target: ProviderTarget;
  model: LanguageModel;
  system: string;
  prompt: string;
  toolNames: readonly ToolName[];
  tools: ToolSet;
  toolContext: ToolContext;
  maxSteps: number;
  /** The most output tokens one call may produce (flow `max_output_tokens`); unset: the provider's limit. */
  maxOutputTokens?: number;
  retry: ModelRetryPolicy;
  /** The model's price (flow `prices:` or the catalogue); null: steps are unpriced. */
  price: PriceTable | null;
}

/**
 * Runs the loop and returns the final answer; failures are recorded as a notice first
 * (a cut-off response together with its notice, see agent-truncation.ts).
 */
export async function runAgentLoop(ctx: PhaseContext, setup: AgentSetup): Promise<string> {
  const writer = new TranscriptWriter(ctx);
  try {
    return await loop(ctx, setup, writer);
  } catch (err) {
    if (err instanceof PhaseWaiting) await writer.notice('budget', err.message);
    else if (!ctx.signal.aborted) {
      const error = toErrorData(err, 'PHASE_FAILED');
      if (err instanceof TruncatedResponse) await writer.failedAfter(err.step.message, err.step.usage, error.message, error.code);
      else await writer.notice('failed', error.message, error.code);
    }
    throw err;
  }
}

async function loop(ctx: PhaseContext, setup: AgentSetup, writer: TranscriptWriter): Promise<string> {
  const plan = planStart(ctx.transcript, setup.prompt);
  let system = setup.system;
  let messages: ModelMessage[];
  let steps = 0;
  let tools: ToolCaller;
  if (plan.mode === 'continue') {
    ({ system, messages, steps } = plan.conversation);
    await writer.notice('continued', `continuing the saved conversation after ${steps} model step${steps === 1 ? '' : 's'}`);
    tools = new ToolCaller(ctx.phase.id, setup.toolContext, setup.toolNames, writer, messages);
    messages.push(...(await tools.recover(pendingToolCalls(messages))));
    const answer = finalAnswer(messages);
    if (answer !== undefined) return answer;
  } else {
    // A phase that may not call the model at all stops before its prompt is recorded.
    checkBudget(ctx, setup, system, [{ role: 'user', content: setup.prompt }]);
    if (plan.reason) await writer.notice('restarted', plan.reason);
    messages = [{ role: 'user', content: setup.prompt }];
    await writer.messages([{ role: 'system', content: system }, ...messages]);
    tools = new ToolCaller(ctx.phase.id, setup.toolContext, setup.toolNames, writer);
  }
  const deltas = new DeltaBuffer(ctx);
  for (;;) {
    if (steps >= setup.maxSteps) throw budgetExhausted(ctx, setup, steps);
    checkBudget(ctx, setup, system, messages);
    const step = await modelStep(ctx, setup, writer, { system, messages, deltas });
    steps += 1;
    if (isTruncated(step)) throw new TruncatedResponse(ctx.phase.id, setup.target, step);
    await writer.message(step.message, step.usage);
    messages.push(step.message);
    if (step.toolCalls.length === 0) return step.text;
    if (steps >= setup.maxSteps) throw budgetExhausted(ctx, setup, steps);
    messages.push(...(await tools.run(step.toolCalls)));
  }
}

async function modelStep(ctx: PhaseContext, setup: AgentSetup, writer: TranscriptWriter, request: { system: string; messages: ModelMessage[]; deltas: DeltaBuffer }): Promise<StepResult> {
  const limit = setup.maxOutputTokens === undefined ? {} : { maxOutputTokens: setup.maxOutputTokens };
  const call = async () => priced(await callModel({ model: setup.model, tools: setup.tools, signal: ctx.signal, idleTimeoutMs: setup.retry.idleTimeoutMs, ...limit, ...request, messages: [...request.messages] }), setup.price);
  try {
    return await withModelRetry(setup.retry, ctx.signal, call, (n) => {
      const wait = n.delayMs >= 1000 ? `${Math.round(n.delayMs / 100) / 10}s` : `${n.delayMs}ms`;
      void writer.notice('retry', `model call failed: ${describeModelError(n.error, setup.target)}; retrying in ${wait} (try ${n.failedTry + 1} of ${n.maxTries})`);
    });
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    const prefix = `phase "${ctx.phase.id}": `;
    if (err instanceof RetriesExhausted) {
      throw new PhaseFailure('PROVIDER_TRANSIENT', `${prefix}model call failed after ${err.tries} tries: ${describeModelError(err.lastError, setup.target)}`, {}, { retryable: true });
    }
    if (err instanceof EmptyModelResponse) throw new PhaseFailure('PROVIDER_ERROR', `${prefix}${setup.target.provider} (${setup.target.baseURL}) ${err.message}`);
    throw new PhaseFailure(isTransient(err) ? 'PROVIDER_TRANSIENT' : 'PROVIDER_ERROR', `${prefix}${describeModelError(err, setup.target)}`);
  }
}

/** The step with its cost at the prices in force now (null: no known price), fixed in its usage from here on. */
function priced(step: StepResult, price: PriceTable | null): StepResult {
  return { ...step, usage: { ...step.usage, costUsd: price ? stepCost(step.usage, price) : null } };
}

/**
 * Asks the run's budget before a model call (budget.ts), with the call's worst case as
 * far as it is known: its input, estimated at 4 characters a token, at the input price,
 * plus `max_output_tokens` at the output price when the flow sets it.
 */
function checkBudget(ctx: PhaseContext, setup: AgentSetup, system: string, messages: readonly ModelMessage[]): void {
  if (!ctx.budget) return;
  const inputTokens = Math.ceil((system.length + JSON.stringify(messages).length) / 4);
  const maxOutputTokens = setup.maxOutputTokens ?? 0;
  ctx.budget.check(ctx.phase.id, { inputTokens, maxOutputTokens, costUsd: setup.price ? worstCaseCost(setup.price, inputTokens, maxOutputTokens) : null });
}

function budgetExhausted(ctx: PhaseContext, setup: AgentSetup, steps: number): PhaseFailure {
  return new PhaseFailure(
    'STEP_BUDGET_EXHAUSTED',
    `phase "${ctx.phase.id}": used all ${steps} of max_steps ${setup.maxSteps} model steps and the model was still calling tools; raise max_steps or narrow the task`,
  );
}
