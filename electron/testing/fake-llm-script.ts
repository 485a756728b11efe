/**
 * What a fake LLM server answers, scripted per test: a queue of responses consumed one
 * per model request. Both protocols (OpenAI chat completions, Anthropic Messages) render
 * the same script, so one test can run against either.
 */

export interface ScriptedToolCall {
  /** Defaults to `call_<n>`. */
  id?: string;
  name: string;
  /** An object (sent as JSON) or a raw string (sent as is, e.g. broken JSON). */
  args: unknown;
}

/**
 * Tokens a reply reports. `input` counts every input token; `cachedInput` (prompt-cache
 * reads) and `cacheWrite` (Anthropic cache writes) are parts of it, `reasoning` a part
 * of `output` (OpenAI reports it; the Anthropic fake does not).
 */
export interface ScriptedUsage {
  input: number;
  output: number;
  cachedInput?: number;
  cacheWrite?: number;
  reasoning?: number;
}

/** A normal streamed (or JSON) answer: text, tool calls, or both. */
export interface ReplyScript {
  type: 'reply';
  text?: string;
  toolCalls?: ScriptedToolCall[];
  usage?: ScriptedUsage;
  /** Characters per streamed text chunk (default 8). */
  chunkSize?: number;
  /** Pause between chunks, to observe live deltas. */
  chunkDelayMs?: number;
}

export interface HttpErrorScript {
  type: 'http-error';
  status: number;
  /** JSON body (objects are serialised) or raw text. Defaults to the protocol's error shape. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** HTTP 200 whose body is not valid protocol JSON (a broken `data:` line or JSON body). */
export interface MalformedScript {
  type: 'malformed';
  body?: string;
}

/** Never answers: holds the connection until the client aborts it. */
export interface HangScript {
  type: 'hang';
  /** Stream this much text first, then hang. */
  textBeforeHang?: string;
}

/** Destroys the socket without an answer (a connection reset). */
export interface ResetScript {
  type: 'reset';
}

/**
 * HTTP 200 and the start of a streamed reply, then the socket is destroyed: a server or
 * proxy dying mid-response. The client sees `terminated` (undici UND_ERR_SOCKET).
 */
export interface DropScript {
  type: 'drop';
  /** Streamed before the socket is destroyed; never finished. */
  textBeforeDrop: string;
}

/**
 * A streamed answer the server cut off at its output limit: OpenAI `finish_reason:
 * "length"`, Anthropic `stop_reason: "max_tokens"`. Tool call arguments are sent as
 * given, so a test can cut them too.
 */
export interface TruncatedScript {
  type: 'truncated';
  text?: string;
  toolCalls?: ScriptedToolCall[];
}

export type Script = ReplyScript | HttpErrorScript | MalformedScript | HangScript | ResetScript | DropScript | TruncatedScript;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body (undefined when it was not JSON). */
  body: unknown;
  rawBody: string;
}

/** A script entry, or a function computing one from the request (e.g. to echo it). */
export type ScriptStep = Script | ((request: RecordedRequest) => Script);

/** Builders that keep tests short. */
export const say = (text: string, usage?: ScriptedUsage): ReplyScript => ({ type: 'reply', text, ...(usage ? { usage } : {}) });
export const callTool = (name: string, args: unknown, id?: string): ReplyScript => ({ type: 'reply', toolCalls: [{ name, args, ...(id ? { id } : {}) }] });
export const callTools = (...calls: ScriptedToolCall[]): ReplyScript => ({ type: 'reply', toolCalls: calls });
export const httpError = (status: number, options: Omit<HttpErrorScript, 'type' | 'status'> = {}): HttpErrorScript => ({ type: 'http-error', status, ...options });
export const malformed = (body?: string): MalformedScript => ({ type: 'malformed', ...(body !== undefined ? { body } : {}) });
export const hang = (textBeforeHang?: string): HangScript => ({ type: 'hang', ...(textBeforeHang ? { textBeforeHang } : {}) });
export const reset = (): ResetScript => ({ type: 'reset' });
export const dropMidStream = (textBeforeDrop = 'partial answer '): DropScript => ({ type: 'drop', textBeforeDrop });
export const truncated = (text?: string, toolCalls?: ScriptedToolCall[]): TruncatedScript => ({ type: 'truncated', ...(text !== undefined ? { text } : {}), ...(toolCalls ? { toolCalls } : {}) });

/** A `reply` or `truncated` script, as the protocol writers render it. */
export type Reply = ReplyScript & { truncated?: boolean };

export function asReply(script: Script, protocol: string): Reply {
  if (script.type === 'reply') return script;
  if (script.type === 'truncated') return { ...script, type: 'reply', truncated: true };
  throw new Error(`${protocol} protocol cannot reply with ${script.type}`);
}

/** Splits text into stream chunks. */
export function chunks(text: string, size = 8): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export function argsText(args: unknown): string {
  return typeof args === 'string' ? args : JSON.stringify(args);
}
