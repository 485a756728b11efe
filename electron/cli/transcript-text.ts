/**
 * An agent phase's transcript as a person reads it on a terminal (`show --phase`): each
 * try under its own heading, each entry as its role and text, tool calls as what they do
 * (a file written as that file, a command as a command line) and tool results after an
 * arrow. Entry contents are parsed by the same pure functions the app's inspector uses
 * (shared/transcript/).
 */
import type { TranscriptEntry } from '../../shared/records';
import { contentSize, restText, toolCallShape } from '../../shared/transcript/tool-call-shape';
import { transcriptParts, type TranscriptPart } from '../../shared/transcript/transcript-parts';
import { formatTokenCount, formatUsd } from '../../shared/usage-format';

const ROLE: Record<TranscriptEntry['role'], string> = { system: 'system', user: 'user', assistant: 'assistant', tool: 'tool', notice: 'note' };

/** The lines of a transcript, tries apart; empty for none. */
export function transcriptLines(entries: readonly TranscriptEntry[]): string[] {
  const lines: string[] = [];
  let currentTry: number | undefined;
  for (const entry of entries) {
    if (entry.attempt !== currentTry) {
      currentTry = entry.attempt;
      lines.push(`── try ${entry.attempt} ──`);
    }
    lines.push(`${heading(entry)}`, ...entryBody(entry).map((l) => `  ${l}`));
  }
  return lines;
}

/** "[assistant · 12:03:04 · 1.2k in · 300 out · $0.0021]" */
function heading(entry: TranscriptEntry): string {
  const parts = [ROLE[entry.role], new Date(entry.at).toLocaleTimeString()];
  if (entry.usage) {
    parts.push(`${formatTokenCount(entry.usage.inputTokens)} in · ${formatTokenCount(entry.usage.outputTokens)} out`);
    if (typeof entry.usage.costUsd === 'number') parts.push(formatUsd(entry.usage.costUsd));
  }
  return `[${parts.join(' · ')}]`;
}

function entryBody(entry: TranscriptEntry): string[] {
  const parts = transcriptParts(entry.content);
  if (parts.length === 0) return ['(empty)'];
  return parts.flatMap(partLines);
}

function partLines(part: TranscriptPart): string[] {
  switch (part.kind) {
    case 'text':
      return part.text.split('\n');
    case 'json':
      return part.json.split('\n');
    case 'tool-call':
      return callLines(part.name, part.input, part.args);
    case 'tool-result':
      return [`← ${part.name}${part.isError ? ' failed' : ''}:`, ...indent(part.result)];
  }
}

function callLines(name: string, input: unknown, args: string): string[] {
  const shape = toolCallShape(input, args);
  const rest = (r: Record<string, unknown>) => (Object.keys(r).length > 0 ? ` (${restText(r)})` : '');
  switch (shape.kind) {
    case 'file':
      return [`→ ${name} ${shape.path} · ${contentSize(shape.content)}${rest(shape.rest)}`, ...indent(shape.content, '  │ ')];
    case 'command':
      return [`→ ${name} $ ${shape.command}${rest(shape.rest)}`];
    case 'path':
      return [`→ ${name} ${shape.path}${rest(shape.rest)}`];
    case 'json':
      return [`→ ${name}`, ...indent(shape.json)];
  }
}

function indent(text: string, prefix = '  '): string[] {
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => `${prefix}${l}`);
}
