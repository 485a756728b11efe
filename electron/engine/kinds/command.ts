/**
 * `command` phases: a shell command line run in the workspace. Template values are
 * inserted shell-quoted, and also passed as WAYMARK_INPUT_* / WAYMARK_OUTPUT_*
 * variables; values too large for those, or holding NUL bytes, travel as files
 * (command-prepare.ts). The output is stdout decoded as UTF-8 (invalid bytes become
 * U+FFFD, with a warning), with trailing newlines removed (as `$(...)` does).
 *
 * However a try ends, its log is kept (log-capture.ts): stdout and stderr with their
 * arrival times, and the command line as the shell ran it.
 */
import { stripVTControlCharacters } from 'node:util';
import type { CommandPhase } from '../../../shared/flow/schema';
import { DEFAULT_MAX_OUTPUT_BYTES, runShellCommand, type CommandResult } from '../child-process';
import { TryLogCapture } from '../log-capture';
import { commandSandbox } from './command-sandbox';
import { prepareCommand } from './command-prepare';
import { PhaseFailure, withDetails, type PhaseContext, type PhaseKindModule, type PhaseOutcome } from '../phase-kind';

const TAIL = 8 * 1024;

export const commandKind: PhaseKindModule<'command'> = {
  kind: 'command',
  async execute(ctx) {
    const capture = new TryLogCapture();
    const run: RunState = { commandLine: null };
    const log = (stream: 'stdout' | 'stderr', text: string) => {
      const at = Date.now();
      capture.write(stream, text, at);
      ctx.emit({ type: 'phase.log', runId: ctx.runId, phaseId: ctx.phase.id, stream, text, attempt: ctx.attempt, at });
    };
    try {
      const outcome = await runCommand(ctx, log, run);
      return { ...outcome, log: capture.finish(run.commandLine) };
    } catch (err) {
      // However the try ended (failed, timed out, cancelled), what it printed is kept.
      throw withDetails(err, { log: capture.finish(run.commandLine) });
    }
  },
};

/** What the log needs to know about a try as it goes. */
interface RunState {
  /** The command line as the shell runs it, once it is known. */
  commandLine: string | null;
}

async function runCommand(ctx: PhaseContext<CommandPhase>, log: (stream: 'stdout' | 'stderr', text: string) => void, state: RunState): Promise<PhaseOutcome> {
  const { phase } = ctx;
  const prepared = await prepareCommand(ctx);
  state.commandLine = prepared.command;
  // Waymark's own lines go to the live log and, around the command's stderr, to the saved tail.
  const notes = prepared.notes.map((line) => `${line}\n`).join('');
  if (notes) log('stderr', notes);
  const env: NodeJS.ProcessEnv = { ...ctx.env, ...prepared.env };
  let result: CommandResult;
  try {
    // `sandbox: true`: the sandbox's launcher and an environment without inherited secrets.
    const launch = phase.sandbox ? await commandSandbox(ctx, env, prepared.folder ? [prepared.folder] : []) : { env };
    result = await runShellCommand(prepared.command, {
      cwd: ctx.workdir,
      ...launch,
      signal: ctx.signal,
      maxOutputBytes: DEFAULT_MAX_OUTPUT_BYTES,
      onData: log,
      onSpawn: ctx.trackProcess,
    });
  } finally {
    await prepared.dispose();
  }
  const warning = utf8Warning(result.stdoutInvalidBytes);
  if (warning) log('stderr', warning);
  const details = { stdoutTail: lastPart(result.stdout), stderrTail: lastPart(notes + result.stderr + warning) };
  if (result.truncated) {
    throw new PhaseFailure('COMMAND_FAILED', `phase "${phase.id}": stdout exceeded ${DEFAULT_MAX_OUTPUT_BYTES / (1024 * 1024)} MiB; write large results to a file instead`, details);
  }
  if (result.exitCode !== 0) {
    const how = result.exitCode === null ? `was killed by ${result.signal ?? 'a signal'}` : `exited with code ${result.exitCode}`;
    const hint = lastLine(result.stderr);
    throw new PhaseFailure('COMMAND_FAILED', `phase "${phase.id}": command ${how}${hint ? `: ${hint}` : ''}`, {
      ...details,
      ...(result.exitCode !== null ? { exitCode: result.exitCode } : {}),
    });
  }
  return { output: result.stdout.replace(/\n+$/, ''), exitCode: 0, ...details };
}

/** The phase-log line for stdout that was not UTF-8 (docs/flows.md, "Output bytes"); empty when it was. */
function utf8Warning(invalidBytes: number): string {
  if (invalidBytes === 0) return '';
  const what = invalidBytes === 1 ? '1 invalid byte' : `${invalidBytes} invalid bytes`;
  return `waymark: stdout was not valid UTF-8: ${what} replaced with U+FFFD; write binary data to a file\n`;
}

/** The end of a stream for the phase's snapshot: its last TAIL characters, from a line start where there is one. */
function lastPart(text: string): string {
  if (text.length <= TAIL) return text;
  const part = text.slice(text.length - TAIL);
  const start = part.indexOf('\n');
  return start >= 0 && start < part.length - 1 ? part.slice(start + 1) : part;
}

/** The stderr line quoted in the error message: the last one, without terminal escape codes. */
function lastLine(text: string): string {
  const lines = stripVTControlCharacters(text).trim().split('\n');
  const line = (lines[lines.length - 1] ?? '').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
