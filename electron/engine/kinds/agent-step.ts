/**
 * One model call of the agent loop: stream the response, forward text as coalesced
 * deltas, and return the assistant message as a ModelMessage. Tools are declared
 * without `execute`, so the SDK never runs anything; `maxRetries: 0` leaves retries to
 * the loop (providers/model-retry.ts), which records each one.
 */
import { streamText, type AssistantContent, type AssistantModelMessage, type FinishReason, type LanguageModel, type LanguageModelUsage, type ModelMessage, type ToolCallPart, type ToolSet } from 'ai';
import type { Usage } from '../../../shared/events';
import { ModelIdleTimeout } from '../providers/provider-errors';
import type { DeltaBuffer } from './agent-deltas';

// The SDK's console warnings would interleave with CLI progress; nothing in them is needed.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

export interface StepRequest {
  model: LanguageModel;
  system: string;
  messages: ModelMessage[];
  tools: ToolSet;
  signal: AbortSignal;
  idleTimeoutMs: number;
  deltas: DeltaBuffer;
  /** The most output tokens the response may have; unset: the provider's limit. */
  maxOutputTokens?: number;
}

export interface StepResult {
  message: AssistantModelMessage;
  text: string;
  /** Calls as the model made them; `input` is the raw text when it was not valid JSON. */
  toolCalls: ToolCallPart[];
  usage: Usage;
  /** `length` when the server cut the response off at its output limit (see agent-truncation.ts); `unknown` when none was sent. */
  finishReason: FinishReason | 'unknown';
  /** As the provider sent it: OpenAI `length`, Anthropic `max_tokens`. */
  rawFinishReason: string | undefined;
}

/** The model answered with nothing usable (no text, no tool call). */
export class EmptyModelResponse extends Error {
  constructor(readonly finishReason: string) {
    super(`returned no text and no tool call (finish reason: ${finishReason}); check that the base URL points to the right API and model`);
    this.name = 'EmptyModelResponse';
  }
}

export async function callModel(request: StepRequest): Promise<StepResult> {
  const idle = new IdleWatch(request.idleTimeoutMs);
  const signal = AbortSignal.any([request.signal, idle.signal]);
  const result = streamText({
    model: request.model,
    system: request.system,
    messages: request.messages,
    ...(Object.keys(request.tools).length ? { tools: request.tools } : {}),
    ...(request.maxOutputTokens === undefined ? {} : { maxOutputTokens: request.maxOutputTokens }),
    maxRetries: 0,
    abortSignal: signal,
    onError: () => {}, // errors arrive as `error` parts below
  });
  const content: Exclude<AssistantContent, string> = [];
  const calls: ToolCallPart[] = [];
  let text = '';
  let reasoning = '';
  let usage: Usage = { inputTokens: 0, outputTokens: 0 };
  let finishReason: FinishReason | 'unknown' = 'unknown';
  let rawFinishReason: string | undefined;
  try {
    for await (const part of result.fullStream) {
      idle.touch();
      if (part.type === 'text-delta') {
        text += part.text;
        request.deltas.push(part.text);
      } else if (part.type === 'reasoning-delta') reasoning += part.text;
      else if (part.type === 'tool-call') {
        calls.push({ type: 'tool-call', toolCallId: part.toolCallId, toolName: part.toolName, input: part.input });
      } else if (part.type === 'finish-step') {
        usage = stepUsage(part.usage);
        finishReason = part.finishReason;
        rawFinishReason = part.rawFinishReason;
      } else if (part.type === 'error') throw part.error;
    }
  } catch (err) {
    if (request.signal.aborted) throw request.signal.reason;
    if (idle.signal.aborted) throw idle.signal.reason;
    throw err;
  } finally {
    idle.stop();
    request.deltas.flush();
  }
  if (request.signal.aborted) throw request.signal.reason;
  if (idle.signal.aborted) throw idle.signal.reason;
  // A response cut off before any output is a truncation (e.g. reasoning used the whole limit), not an empty one.
  if (!text && calls.length === 0 && finishReason !== 'stop' && finishReason !== 'length') throw new EmptyModelResponse(finishReason);
  if (reasoning) content.push({ type: 'reasoning', text: reasoning });
  if (text) content.push({ type: 'text', text });
  // A call whose arguments were not a JSON object is kept as `{}` in the history (as the SDK does).
  for (const call of calls) content.push({ ...call, input: isObject(call.input) ? call.input : {} });
  return { message: { role: 'assistant', content }, text, toolCalls: calls, usage, finishReason, rawFinishReason };
}

/**
 * The step's tokens, with the details the provider reported (AI SDK usage details):
 * prompt-cache reads and writes are parts of the input, reasoning a part of the output.
 */
export function stepUsage(u: LanguageModelUsage): Usage {
  const detail = (n: number | undefined) => (n ? n : undefined);
  const cachedInputTokens = detail(u.inputTokenDetails?.cacheReadTokens ?? u.cachedInputTokens);
  const cacheWriteTokens = detail(u.inputTokenDetails?.cacheWriteTokens);
  const reasoningTokens = detail(u.outputTokenDetails?.reasoningTokens ?? u.reasoningTokens);
  return {
    inputTokens: u.inputTokens ?? 0,
    outputTokens: u.outputTokens ?? 0,
    ...(cachedInputTokens !== undefined ? { cachedInputTokens } : {}),
    ...(cacheWriteTokens !== undefined ? { cacheWriteTokens } : {}),
    ...(reasoningTokens !== undefined ? { reasoningTokens } : {}),
  };
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Aborts when no stream part arrived for `ms`. */
class IdleWatch {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ms: number) {
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  touch(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.controller.abort(new ModelIdleTimeout(this.ms)), this.ms);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}
