/**
 * `command` phases: a shell command line run in the workspace. Template values are
 * inserted shell-quoted, and also passed as WAYMARK_INPUT_* / WAYMARK_OUTPUT_*
 * variables. The output is stdout, with trailing newlines removed (as `$(...)` does).
 */
import { renderTemplate, type TemplateRef } from '../../../shared/flow/template';
import { DEFAULT_MAX_OUTPUT_BYTES, runShellCommand } from '../child-process';
import { PhaseFailure, type PhaseContext, type PhaseKindModule } from '../phase-kind';
import { envName, shellQuote } from '../shell-quote';

const TAIL = 8 * 1024;

export const commandKind: PhaseKindModule<'command'> = {
  kind: 'command',
  async execute(ctx) {
    const { phase } = ctx;
    const resolve = templateResolver(ctx);
    const command = renderTemplate(phase.run, resolve, shellQuote);
    const env: NodeJS.ProcessEnv = { ...ctx.env, ...templateEnv(ctx) };
    for (const [key, value] of Object.entries(phase.env ?? {})) env[key] = renderTemplate(String(value), resolve);
    const result = await runShellCommand(command, {
      cwd: ctx.workdir,
      env,
      signal: ctx.signal,
      maxOutputBytes: DEFAULT_MAX_OUTPUT_BYTES,
      onData: (stream, text) => ctx.emit({ type: 'phase.log', runId: ctx.runId, phaseId: phase.id, stream, text }),
    });
    const details = { stdoutTail: lastPart(result.stdout), stderrTail: lastPart(result.stderr) };
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

function templateResolver(ctx: PhaseContext): (ref: TemplateRef) => string {
  return (ref) => (ref.type === 'input' ? (ctx.inputs[ref.name] ?? '') : (ctx.outputs.get(ref.phaseId) ?? ''));
}

function templateEnv(ctx: PhaseContext): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(ctx.inputs)) env[envName('WAYMARK_INPUT_', name)] = value;
  for (const [id, output] of ctx.outputs) env[envName('WAYMARK_OUTPUT_', id)] = output;
  return env;
}

function lastPart(text: string): string {
  return text.length > TAIL ? text.slice(text.length - TAIL) : text;
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  const line = (lines[lines.length - 1] ?? '').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
