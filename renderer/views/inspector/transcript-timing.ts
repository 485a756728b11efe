/**
 * When transcript entries happened, for the inspector: each entry's time, and how long
 * it took, the time since the entry before it in the same try (for a model's answer,
 * the model call; for a tool result, the tool's run). Also the tool calls by id, so a
 * result can show what it answers (the file it read). Pure.
 */
import type { TranscriptEntry } from '../../../shared/records';
import { transcriptParts } from '../../../shared/transcript/transcript-parts';

export interface ToolCallRef {
  name: string;
  input: unknown;
}

/** Milliseconds each entry took; null where there is no entry before it in the same try, or it does not take time (system, user). */
export function entryDurations(entries: readonly TranscriptEntry[]): (number | null)[] {
  return entries.map((e, i) => {
    const before = entries[i - 1];
    if (!before || before.attempt !== e.attempt || before.index !== e.index - 1) return null;
    if (e.role === 'system' || e.role === 'user') return null;
    return Math.max(0, e.at - before.at);
  });
}

export function toolCallsById(entries: readonly TranscriptEntry[]): Map<string, ToolCallRef> {
  const calls = new Map<string, ToolCallRef>();
  for (const e of entries) {
    if (e.role !== 'assistant') continue;
    for (const part of transcriptParts(e.content)) if (part.kind === 'tool-call' && part.id) calls.set(part.id, { name: part.name, input: part.input });
  }
  return calls;
}
