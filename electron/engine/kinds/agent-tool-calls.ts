/**
 * Runs the model's tool calls one by one, each result recorded before the next call.
 * A failing call goes back to the model as an error result; the same failing call
 * (same tool, same arguments) for the third time ends the phase with TOOL_FAILED.
 * After a crash, a call whose result was never saved is run again only when it is
 * idempotent: an unfinished run_command gets an "interrupted, effects unknown" result.
 * When the phase's signal aborts (timeout, cancel, Ctrl+C) runTool throws at once, even
 * if the tool is stuck; the loop ends there, so an abandoned call's late result is
 * never recorded (tools/race-abort.ts).
 */
import type { ModelMessage, ToolCallPart } from 'ai';
import type { ToolName } from '../../../shared/flow/schema';
import { PhaseFailure } from '../phase-kind';
import { TOOL_SPECS, isToolName, runTool, type ToolContext } from '../tools';
import { callKey, failedCallCounts, toolResultMessage } from './agent-messages';
import type { TranscriptWriter } from './agent-transcript';

export const MAX_SAME_FAILURE = 3;

export class ToolCaller {
  private readonly failures: Map<string, number>;

  constructor(
    private readonly phaseId: string,
    private readonly ctx: ToolContext,
    private readonly allowed: readonly ToolName[],
    private readonly writer: TranscriptWriter,
    history: readonly ModelMessage[] = [],
  ) {
    this.failures = failedCallCounts(history);
  }

  /** Runs `calls` and returns the tool messages recorded for them. */
  async run(calls: readonly ToolCallPart[]): Promise<ModelMessage[]> {
    const results: ModelMessage[] = [];
    for (const call of calls) {
      const outcome = await runTool(this.ctx, this.allowed, call.toolName, call.input);
      const message = toolResultMessage(call, outcome.ok, outcome.text);
      await this.writer.message(message);
      results.push(message);
      if (!outcome.ok) this.countFailure(call, outcome.text);
    }
    return results;
  }

  /** Results for calls a crash left unanswered: re-run idempotent ones, never commands. */
  async recover(calls: readonly ToolCallPart[]): Promise<ModelMessage[]> {
    const results: ModelMessage[] = [];
    for (const call of calls) {
      if (isToolName(call.toolName) && !TOOL_SPECS[call.toolName].idempotent) {
        const message = toolResultMessage(call, false, interruptedText(call.toolName));
        await this.writer.message(message);
        results.push(message);
      } else {
        results.push(...(await this.run([call])));
      }
    }
    return results;
  }

  private countFailure(call: ToolCallPart, error: string): void {
    const key = callKey(call.toolName, call.input);
    const count = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, count);
    if (count >= MAX_SAME_FAILURE) {
      throw new PhaseFailure('TOOL_FAILED', `phase "${this.phaseId}": the model called ${call.toolName} with the same arguments ${count} times and it failed each time: ${error}`);
    }
  }
}

function interruptedText(toolName: string): string {
  return `This ${toolName} call was interrupted before its result was saved (the run stopped while it was running), so it was not run again and its effects are unknown. Check the workspace state before deciding whether to run it again.`;
}
