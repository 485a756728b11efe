/**
 * `command` phases: a shell command line run in the workspace. Template values are
 * inserted shell-quoted, and also passed as WAYMARK_INPUT_* / WAYMARK_OUTPUT_*
 * variables; values too large for those, or holding NUL bytes, travel as files
 * (command-prepare.ts). The output is stdout decoded as UTF-8 (invalid bytes become
 * U+FFFD, with a warning), with trailing newlines removed (as `$(...)` does).
 */
import { DEFAULT_MAX_OUTPUT_BYTES, runShellCommand, type CommandResult } from '../child-process';
import { commandSandbox } from './command-sandbox';
import { prepareCommand } from './command-prepare';
import { PhaseFailure, type PhaseKindModule } from '../phase-kind';

const TAIL = 8 * 1024;

export const commandKind: PhaseKindModule<'command'> = {
  kind: 'command',
  async execute(ctx) {
    const { phase } = ctx;
    const log = (stream: 'stdout' | 'stderr', text: string) => ctx.emit({ type: 'phase.log', runId: ctx.runId, phaseId: phase.id, stream, text });
    const prepared = await prepareCommand(ctx);
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
  },
};

/** The phase-log line for stdout that was not UTF-8 (docs/flows.md, "Output bytes"); empty when it was. */
function utf8Warning(invalidBytes: number): string {
  if (invalidBytes === 0) return '';
  const what = invalidBytes === 1 ? '1 invalid byte' : `${invalidBytes} invalid bytes`;
  return `waymark: stdout was not valid UTF-8: ${what} replaced with U+FFFD; write binary data to a file\n`;
}

function lastPart(text: string): string {
  return text.length > TAIL ? text.slice(text.length - TAIL) : text;
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  const line = (lines[lines.length - 1] ?? '').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
