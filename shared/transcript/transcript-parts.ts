/**
 * A transcript entry's content is whatever the phase kind saved (`unknown` in the
 * contract). This turns the shapes model SDKs use — a string, `{ text }`, a message with
 * `content` parts, tool calls and tool results — into parts the inspector can draw, and
 * anything else into JSON. Pure, so it is tested without a DOM.
 */
export type TranscriptPart =
  | { kind: 'text'; text: string }
  | { kind: 'tool-call'; name: string; args: string; id?: string; input: unknown }
  | { kind: 'tool-result'; name: string; result: string; isError: boolean; id?: string }
  | { kind: 'json'; json: string };

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function transcriptParts(content: unknown): TranscriptPart[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return [{ kind: 'text', text: content }];
  if (Array.isArray(content)) return content.flatMap(partOf);
  if (isRec(content)) {
    if ('content' in content && (typeof content.content === 'string' || Array.isArray(content.content))) {
      const parts = transcriptParts(content.content);
      const calls = Array.isArray(content.toolCalls) ? content.toolCalls.flatMap(partOf) : [];
      return [...parts, ...calls];
    }
    // A notice: { kind, message, code? } (retries, failures, continuations). The code
    // stays in the stored entry (--json, logs); people read the message.
    if (typeof content.message === 'string' && typeof content.kind === 'string') {
      return [{ kind: 'text', text: content.message }];
    }
    return partOf(content);
  }
  return [{ kind: 'json', json: JSON.stringify(content) }];
}

function partOf(part: unknown): TranscriptPart[] {
  if (typeof part === 'string') return [{ kind: 'text', text: part }];
  if (!isRec(part)) return [{ kind: 'json', json: pretty(part) }];
  const type = str(part.type);
  const name = str(part.toolName) ?? str(part.name) ?? 'tool';
  if ((type === 'text' || type === 'reasoning' || type === undefined) && typeof part.text === 'string') return [{ kind: 'text', text: part.text }];
  if (type === 'tool-call' || type === 'tool_call' || type === 'tool_use' || ('args' in part && type === undefined) || ('input' in part && type === undefined && 'toolName' in part)) {
    const input = part.input ?? part.args ?? part.arguments ?? {};
    return [{ kind: 'tool-call', name, args: pretty(input), input, ...(str(part.toolCallId) ? { id: str(part.toolCallId) } : {}) }];
  }
  if (type === 'tool-result' || type === 'tool_result' || 'result' in part || 'output' in part) {
    const value = part.output ?? part.result ?? part.content;
    const isError = part.isError === true || (isRec(value) && (value.type === 'error-text' || value.type === 'error-json'));
    return [{ kind: 'tool-result', name, result: resultText(value), isError, ...(str(part.toolCallId) ? { id: str(part.toolCallId) } : {}) }];
  }
  return [{ kind: 'json', json: pretty(part) }];
}

/** AI SDK tool outputs are `{ type: 'text' | 'json' | 'error-text', value }`; show the value. */
function resultText(value: unknown): string {
  if (isRec(value) && 'value' in value && typeof value.type === 'string') return resultText(value.value);
  return typeof value === 'string' ? value : pretty(value);
}

function pretty(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}
