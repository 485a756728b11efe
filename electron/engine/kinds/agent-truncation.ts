/**
 * A response the server cut off at its output token limit (AI SDK finish reason
 * `length`: OpenAI `finish_reason: "length"`, Anthropic `stop_reason: "max_tokens"`) is
 * never accepted. Its tool calls may carry cut arguments (a write_file with half a
 * file), so none of them is run; its text is not the whole answer, so it is not the
 * phase output. The phase fails with MODEL_OUTPUT_TRUNCATED: not retried by the
 * model-call retry nor by a phase `retry:` (the same prompt hits the same limit, at the
 * full output price), and not continued on resume (the conversation starts over).
 *
 * Asking the model to "continue" was rejected: chat models often restart or rephrase
 * at the seam, and the stitched text would flow silently into later phases.
 */
import { PhaseFailure } from '../phase-kind';
import type { ProviderTarget } from '../providers/provider-config';
import type { StepResult } from './agent-step';

/** Carries the cut-off response, which the loop records together with the failure. */
export class TruncatedResponse extends PhaseFailure {
  constructor(
    phaseId: string,
    target: ProviderTarget,
    readonly step: StepResult,
  ) {
    super('MODEL_OUTPUT_TRUNCATED', truncationMessage(phaseId, target, step));
  }
}

export function isTruncated(step: StepResult): boolean {
  return step.finishReason === 'length';
}

function truncationMessage(phaseId: string, target: ProviderTarget, step: StepResult): string {
  const stopped = `phase "${phaseId}": ${target.provider}:${target.modelId} stopped at its output token limit (finish reason "${step.rawFinishReason ?? step.finishReason}")`;
  const larger = 'or use a model with a larger output limit';
  if (step.toolCalls.length > 0) {
    const names = [...new Set(step.toolCalls.map((c) => c.toolName))].join(', ');
    return `${stopped} while calling ${names}; no tool call of that response was run (its arguments may be cut off); ask for smaller steps (e.g. write a long file in several parts) ${larger}`;
  }
  if (!step.text) return `${stopped} before writing any answer (its reasoning may have used the whole limit); ask for a simpler task ${larger}`;
  return `${stopped}, so its answer is cut off; ask for a shorter answer (write long results to files with write_file, in parts) ${larger}`;
}
