/**
 * How a tool call reads best (issue 12): a file written is shown as that file (its path
 * and its content as a code block), a shell command as a command line, a call about a
 * path as that path with any other arguments; anything else as JSON. Pure.
 */

export type ToolCallShape =
  | { kind: 'file'; path: string; content: string; rest: Record<string, unknown> }
  | { kind: 'command'; command: string; rest: Record<string, unknown> }
  | { kind: 'path'; path: string; rest: Record<string, unknown> }
  | { kind: 'json'; json: string };

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

export function toolCallShape(input: unknown, json: string): ToolCallShape {
  if (!isRec(input)) return { kind: 'json', json };
  const { path, content, command, ...rest } = input;
  if (typeof path === 'string' && typeof content === 'string' && command === undefined) return { kind: 'file', path, content, rest };
  if (typeof command === 'string' && path === undefined && content === undefined) return { kind: 'command', command, rest };
  if (typeof path === 'string' && content === undefined && command === undefined && Object.values(rest).every(isScalar)) return { kind: 'path', path, rest };
  return { kind: 'json', json };
}

/** Other arguments on one line: `recursive: true, timeout_seconds: 30`. */
export function restText(rest: Record<string, unknown>): string {
  return Object.entries(rest)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}

/** "12 lines · 1.3 KiB" for a file's content. */
export function contentSize(content: string): string {
  const lines = content === '' ? 0 : content.split('\n').length - (content.endsWith('\n') ? 1 : 0);
  const bytes = new TextEncoder().encode(content).length;
  const size = bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(1)} KiB`;
  return `${lines} line${lines === 1 ? '' : 's'} · ${size}`;
}

function isScalar(v: unknown): boolean {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}
