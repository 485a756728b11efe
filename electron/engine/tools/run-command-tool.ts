/**
 * run_command: a shell command line in the workspace, always inside the sandbox
 * (sandbox/index.ts), in its own process group (killed on abort or timeout), with a
 * sanitised environment and capped output. A non-zero exit is a normal result the model
 * reads; a timeout, and a machine without a working sandbox, are tool errors.
 */
import { hasErrorCode } from '../../../shared/errors';
import { runShellCommand, type TrackedProcess } from '../child-process';
import { sandboxLaunch, type SandboxLaunch, type SandboxSettings } from '../sandbox';
import { ToolError } from './tool-error';

export const DEFAULT_COMMAND_TIMEOUT_S = 120;
export const MAX_COMMAND_TIMEOUT_S = 1_800;
/** Bytes of each stream shown to the model (the end of it). */
export const COMMAND_OUTPUT_SHOWN = 16_000;

export interface CommandToolContext {
  workdir: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** What the sandbox hides from commands. */
  sandbox: SandboxSettings;
  /** The phase's `network: true`: commands may use the network. Default: no network. */
  network?: boolean;
  onOutput?(stream: 'stdout' | 'stderr', text: string): void;
  /** Records each command's process group for the phase (PhaseContext.trackProcess). */
  trackProcess?(pgid: number): TrackedProcess;
}

export async function runCommandTool(ctx: CommandToolContext, input: { command: string; timeout_seconds?: number }): Promise<string> {
  const launch = await sandboxed(ctx);
  const seconds = Math.min(Math.max(1, Math.round(input.timeout_seconds ?? DEFAULT_COMMAND_TIMEOUT_S)), MAX_COMMAND_TIMEOUT_S);
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new ToolError(`command timed out after ${seconds}s; its processes were killed`)), seconds * 1000);
  try {
    const result = await runShellCommand(input.command, {
      cwd: ctx.workdir,
      env: launch.env,
      launcher: launch.launcher,
      signal: AbortSignal.any([ctx.signal, timeout.signal]),
      maxOutputBytes: 1024 * 1024,
      ...(ctx.onOutput ? { onData: ctx.onOutput } : {}),
      ...(ctx.trackProcess ? { onSpawn: ctx.trackProcess } : {}),
    });
    const status = result.exitCode === null ? `killed by ${result.signal ?? 'a signal'}` : `exit code ${result.exitCode}`;
    return [status, section('stdout', result.stdout, result.truncated), section('stderr', result.stderr, false)].filter(Boolean).join('\n');
  } catch (err) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (timeout.signal.aborted) throw timeout.signal.reason;
    throw new ToolError(`could not run the command: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

async function sandboxed(ctx: CommandToolContext): Promise<SandboxLaunch> {
  try {
    return await sandboxLaunch({ workspace: ctx.workdir, network: ctx.network ?? false, settings: ctx.sandbox, env: ctx.env });
  } catch (err) {
    if (!hasErrorCode(err, 'SANDBOX_UNAVAILABLE')) throw err;
    const message = `run_command refused: ${(err as Error).message}`;
    ctx.onOutput?.('stderr', `${message}\n`);
    throw new ToolError(message);
  }
}

function section(name: string, text: string, truncated: boolean): string {
  if (!text) return '';
  const bytes = Buffer.from(text, 'utf8');
  const cut = bytes.length > COMMAND_OUTPUT_SHOWN;
  const shown = cut ? bytes.subarray(bytes.length - COMMAND_OUTPUT_SHOWN).toString('utf8') : text;
  const note = cut || truncated ? `[output cut: only the last ${COMMAND_OUTPUT_SHOWN} bytes are shown]\n` : '';
  return `--- ${name} ---\n${note}${shown.replace(/\n$/, '')}`;
}
