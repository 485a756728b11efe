/**
 * The agent tools (SPEC §2): what the model is told about each, the schema its
 * arguments must match, whether re-running it is safe, and how it runs. Tools are given
 * to the AI SDK WITHOUT `execute`: the agent loop runs them itself (runTool), so each
 * result is recorded before the next model call.
 */
import { tool, type ToolSet } from 'ai';
import * as z from 'zod';
import type { ToolName } from '../../../shared/flow/schema';
import { listFilesTool, readFileTool, writeFileTool } from './file-tools';
import { DEFAULT_COMMAND_TIMEOUT_S, MAX_COMMAND_TIMEOUT_S, runCommandTool, type CommandToolContext } from './run-command-tool';
import { raceAbort } from './race-abort';
import { ToolError } from './tool-error';

export type ToolContext = CommandToolContext;

interface ToolSpec {
  description: string;
  input: z.ZodType;
  /** Safe to run again when its result was never saved (a crash mid-call). */
  idempotent: boolean;
  run(ctx: ToolContext, input: never): Promise<string>;
}

const relPath = z.string().describe('Path relative to the workspace root, e.g. "src/app.py"');

export const TOOL_SPECS: Record<ToolName, ToolSpec> = {
  read_file: {
    description: 'Read a UTF-8 text file from the workspace.',
    input: z.object({ path: relPath }),
    idempotent: true,
    run: (ctx, input: { path: string }) => readFileTool(ctx, input),
  },
  write_file: {
    description: 'Create or overwrite a file in the workspace with the given content. Parent folders are created.',
    input: z.object({ path: relPath, content: z.string().describe('The complete new content of the file') }),
    idempotent: true,
    run: (ctx, input: { path: string; content: string }) => writeFileTool(ctx, input),
  },
  list_files: {
    description: 'List the files and folders in a workspace folder (folders end with "/").',
    input: z.object({
      path: z.string().optional().describe('Folder relative to the workspace root; default "."'),
      recursive: z.boolean().optional().describe('Also list subfolders (skips .git and node_modules)'),
    }),
    idempotent: true,
    run: (ctx, input: { path?: string; recursive?: boolean }) => listFilesTool(ctx, input),
  },
  run_command: {
    description: `Run a shell command in the workspace folder and return its exit code, stdout and stderr. Times out after ${DEFAULT_COMMAND_TIMEOUT_S}s unless timeout_seconds is given.`,
    input: z.object({
      command: z.string().min(1).describe('A shell command line'),
      timeout_seconds: z.number().positive().max(MAX_COMMAND_TIMEOUT_S).optional(),
    }),
    idempotent: false,
    run: (ctx, input: { command: string; timeout_seconds?: number }) => runCommandTool(ctx, input),
  },
};

export function isToolName(name: string): name is ToolName {
  return Object.hasOwn(TOOL_SPECS, name);
}

/** The tool declarations sent to the model (no `execute`: the loop runs tools). */
export function sdkTools(names: readonly ToolName[]): ToolSet {
  return Object.fromEntries(names.map((name) => [name, tool({ description: TOOL_SPECS[name].description, inputSchema: TOOL_SPECS[name].input })]));
}

export interface ToolOutcome {
  ok: boolean;
  /** What the model reads as the tool result. */
  text: string;
}

/**
 * Runs one tool call. Every failure the model can act on comes back as `{ok: false}`;
 * only an abort of `ctx.signal` (cancel, shutdown, timeout of the phase) is thrown, and
 * at once, even while the tool is stuck: the call is then abandoned (race-abort.ts).
 */
export async function runTool(ctx: ToolContext, allowed: readonly ToolName[], name: string, input: unknown): Promise<ToolOutcome> {
  if (!isToolName(name) || !allowed.includes(name)) {
    return { ok: false, text: `unknown tool "${name}"; available tools: ${allowed.join(', ') || 'none'}` };
  }
  const spec = TOOL_SPECS[name];
  const parsed = spec.input.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ');
    return { ok: false, text: `invalid arguments for ${name}: ${issues}` };
  }
  try {
    ctx.signal.throwIfAborted();
    return { ok: true, text: await raceAbort(spec.run(ctx, parsed.data as never), ctx.signal) };
  } catch (err) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (err instanceof ToolError) return { ok: false, text: err.message };
    return { ok: false, text: `${name} failed: ${(err as Error).message ?? String(err)}` };
  }
}
