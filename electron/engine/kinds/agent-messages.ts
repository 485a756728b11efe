/**
 * Reading a saved conversation back: the model messages (notices left out), the tool
 * calls whose results were never saved, and the final answer when the model gave one.
 * Saved entries hold AI SDK ModelMessages, so the messages are used exactly as saved.
 */
import type { AssistantModelMessage, ModelMessage, ToolCallPart, ToolModelMessage, ToolResultPart } from 'ai';
import type { TranscriptEntry } from '../../../shared/records';
import { canonicalJson } from '../def-hash';
import type { NoticeContent } from './agent-transcript';

export interface SavedConversation {
  system: string;
  /** Everything after the system prompt, starting with the user prompt. */
  messages: ModelMessage[];
  /** Model calls already made (assistant entries). */
  steps: number;
  /** The last `failed` notice, when the latest try failed. */
  failure?: NoticeContent;
}

/** Undefined when the entries are not a conversation this kind wrote. */
export function readConversation(entries: readonly TranscriptEntry[]): SavedConversation | undefined {
  const [first, ...rest] = entries;
  if (first?.role !== 'system' || !isMessage(first.content, 'system')) return undefined;
  const messages: ModelMessage[] = [];
  let failure: NoticeContent | undefined;
  for (const entry of rest) {
    if (entry.role === 'notice') {
      const notice = entry.content as NoticeContent;
      failure = notice?.kind === 'failed' ? notice : notice?.kind === 'retry' ? failure : undefined;
      continue;
    }
    if (entry.role === 'system' || !isMessage(entry.content, entry.role)) return undefined;
    messages.push(entry.content);
    failure = undefined;
  }
  if (messages[0]?.role !== 'user') return undefined;
  const system = (first.content as { content: string }).content;
  return { system, messages, steps: messages.filter((m) => m.role === 'assistant').length, ...(failure ? { failure } : {}) };
}

/** Tool calls of the last assistant message that have no saved result, in call order. */
export function pendingToolCalls(messages: readonly ModelMessage[]): ToolCallPart[] {
  const lastAssistant = messages.findLastIndex((m) => m.role === 'assistant');
  if (lastAssistant < 0) return [];
  const answered = new Set(
    messages
      .slice(lastAssistant + 1)
      .flatMap((m) => (m.role === 'tool' ? m.content : []))
      .flatMap((p) => (p.type === 'tool-result' ? [p.toolCallId] : [])),
  );
  return toolCalls(messages[lastAssistant] as AssistantModelMessage).filter((c) => !answered.has(c.toolCallId));
}

/** The text of the last message when it is an assistant answer without tool calls. */
export function finalAnswer(messages: readonly ModelMessage[]): string | undefined {
  const last = messages[messages.length - 1];
  if (last?.role !== 'assistant' || toolCalls(last).length > 0) return undefined;
  return assistantText(last);
}

export function toolCalls(message: AssistantModelMessage): ToolCallPart[] {
  return typeof message.content === 'string' ? [] : message.content.filter((p): p is ToolCallPart => p.type === 'tool-call');
}

export function assistantText(message: AssistantModelMessage): string {
  if (typeof message.content === 'string') return message.content;
  return message.content.map((p) => (p.type === 'text' ? p.text : '')).join('');
}

export function toolResultMessage(call: Pick<ToolCallPart, 'toolCallId' | 'toolName'>, ok: boolean, text: string): ToolModelMessage {
  const part: ToolResultPart = { type: 'tool-result', toolCallId: call.toolCallId, toolName: call.toolName, output: { type: ok ? 'text' : 'error-text', value: text } };
  return { role: 'tool', content: [part] };
}

/** Tool calls in the history whose result was an error, with their counts (by callKey). */
export function failedCallCounts(messages: readonly ModelMessage[]): Map<string, number> {
  const calls = new Map<string, ToolCallPart>();
  const counts = new Map<string, number>();
  for (const m of messages) {
    if (m.role === 'assistant') for (const c of toolCalls(m)) calls.set(c.toolCallId, c);
    if (m.role !== 'tool') continue;
    for (const part of m.content) {
      const call = part.type === 'tool-result' && part.output.type === 'error-text' ? calls.get(part.toolCallId) : undefined;
      if (call) counts.set(callKey(call.toolName, call.input), (counts.get(callKey(call.toolName, call.input)) ?? 0) + 1);
    }
  }
  return counts;
}

/** Identity of a call for the "same failing call" rule: tool name and canonical arguments. */
export function callKey(toolName: string, input: unknown): string {
  return `${toolName}:${canonicalJson(input)}`;
}

function isMessage(content: unknown, role: string): content is ModelMessage {
  const m = content as { role?: unknown; content?: unknown } | null;
  return typeof m === 'object' && m !== null && m.role === role && (typeof m.content === 'string' || Array.isArray(m.content));
}
