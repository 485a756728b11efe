/**
 * How a try of an agent phase begins: continue the saved conversation, or start fresh.
 *
 * A saved conversation (the entries since the last `system` entry, as the engine passes
 * them) is continued when all of these hold:
 * - it holds at least one model response (otherwise there is nothing to keep);
 * - its user prompt is exactly the prompt rendered now (inputs and upstream outputs
 *   unchanged; the engine already drops it when the phase definition changed or the
 *   user asked to restart the phase);
 * - the try that wrote it was interrupted (no failure recorded), or failed on a provider
 *   or timeout error. After STEP_BUDGET_EXHAUSTED, TOOL_FAILED or another failure the
 *   phase starts over.
 */
import type { ErrorCode } from '../../../shared/errors';
import type { PhaseTranscript } from '../phase-kind';
import { readConversation, type SavedConversation } from './agent-messages';

/** Failures after which continuing the conversation is still the right thing to do. */
export const CONTINUABLE_FAILURES: readonly ErrorCode[] = ['PROVIDER_TRANSIENT', 'PROVIDER_ERROR', 'PROVIDER_CONFIG', 'PHASE_TIMEOUT', 'INTERRUPTED'];

export type StartPlan = { mode: 'continue'; conversation: SavedConversation } | { mode: 'fresh'; reason?: string };

export function planStart(transcript: PhaseTranscript, prompt: string): StartPlan {
  if (transcript.continueFrom.length === 0) return { mode: 'fresh' };
  const conversation = readConversation(transcript.continueFrom);
  if (!conversation) return { mode: 'fresh', reason: 'the saved conversation could not be read; starting the phase over' };
  if (conversation.steps === 0) return { mode: 'fresh' };
  const savedPrompt = conversation.messages[0]?.content;
  if (savedPrompt !== prompt) return { mode: 'fresh', reason: 'the prompt changed since the conversation was saved (different inputs or upstream outputs); starting the phase over' };
  const code = conversation.failure?.code;
  if (code && !CONTINUABLE_FAILURES.includes(code)) return { mode: 'fresh', reason: `the previous try failed with ${code}; starting the phase over` };
  return { mode: 'continue', conversation };
}
