/**
 * Turns a `command` phase's plan of values (command-values.ts) into what the shell gets:
 * the `run` line with every template value inserted, the WAYMARK_* and `env:`
 * variables, and a private folder of files for every WAYMARK_* value (and for `env:`
 * values that do not fit a variable).
 *
 * The folder is made per try (mode 0700, files 0600) and removed by `dispose()` after
 * the command ends. `WAYMARK_<…>_FILE` always names the file of its value, byte-exact;
 * the plain variable is set only when the value fits in it, and is unset otherwise, so
 * a script never mistakes a path for the value. In `run`, a value that travels as a file
 * becomes `"$(cat -- '/path')"`: still one word, read by the shell.
 */
import { chmod, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandPhase } from '../../../shared/flow/schema';
import { renderTemplate } from '../../../shared/flow/template';
import { assertNever } from '../../../shared/status';
import { PhaseFailure, type PhaseContext } from '../phase-kind';
import { shellQuote } from '../shell-quote';
import { planValues, refName, TOTAL_LIMIT, VALUE_LIMIT, type CommandValue, type FileReason } from './command-values';

export interface PreparedCommand {
  /** The `run` line, every template value inserted as one shell word. */
  command: string;
  /** The variables to add to the phase's environment; `undefined` unsets an inherited one. */
  env: Record<string, string | undefined>;
  /** One line per value that travels as a file, for the phase log. */
  notes: string[];
  /** The private folder of value files (a sandbox must let the command read it); null when there are no values. */
  folder: string | null;
  /** Removes the folder; call it when the command has ended, however it ended. */
  dispose(): Promise<void>;
}

export async function prepareCommand(ctx: PhaseContext<CommandPhase>): Promise<PreparedCommand> {
  const { phase } = ctx;
  const plan = planValues(phase, ctx.inputs, ctx.outputs);
  const toFile = [...plan.waymark.values(), ...plan.env.filter((v) => v.fileReason)];
  const folder = toFile.length > 0 ? await makeFolder(phase.id) : null;
  const dispose = async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  };
  try {
    const paths = new Map<CommandValue, string>();
    if (folder) {
      await chmod(folder, 0o700); // mkdtemp already does; stated, not assumed
      for (const v of toFile) paths.set(v, await writeValue(phase.id, folder, v, plan.env.includes(v) ? `env-${v.name}` : v.name));
    }
    const env: Record<string, string | undefined> = {};
    for (const v of [...plan.waymark.values(), ...plan.env]) {
      const path = paths.get(v);
      if (path) env[`${v.name}_FILE`] = path;
      env[v.name] = v.fileReason ? undefined : v.text;
    }
    const command = renderTemplate(phase.run, (ref) => {
      const v = plan.waymark.get(refName(ref));
      if (!v) return shellQuote('');
      if (!v.fileReason) return shellQuote(v.text);
      return readFileWord(phase.id, v, paths.get(v) as string);
    });
    const notes = [...plan.waymark.values(), ...plan.env].flatMap((v) => (v.fileReason ? [note(v, v.fileReason)] : []));
    return { command, env, notes, folder, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}

async function makeFolder(phaseId: string): Promise<string> {
  try {
    // The real path: a sandbox binds it at the same place, and a symlinked TMPDIR would not match.
    return await realpath(await mkdtemp(join(tmpdir(), 'waymark-values-')));
  } catch (err) {
    throw new PhaseFailure('COMMAND_FAILED', `phase "${phaseId}": could not create a folder for its input values in ${tmpdir()} (${(err as Error).message}); free some space there or point TMPDIR at another folder`, {}, { cause: err });
  }
}

async function writeValue(phaseId: string, folder: string, v: CommandValue, fileName: string): Promise<string> {
  const path = join(folder, fileName);
  try {
    await writeFile(path, v.text, { encoding: 'utf8', mode: 0o600, flag: 'wx' });
  } catch (err) {
    throw new PhaseFailure('COMMAND_FAILED', `phase "${phaseId}": could not write the ${v.label} to ${path} (${(err as Error).message}); free some space there or point TMPDIR at another folder`, {}, { cause: err });
  }
  return path;
}

/** A shell word that expands to the file's text (`$(...)` drops NUL bytes and trailing newlines). */
function readFileWord(phaseId: string, v: CommandValue, path: string): string {
  if (process.platform === 'win32') {
    throw new PhaseFailure('COMMAND_FAILED', `phase "${phaseId}": the ${v.label} is ${size(v.bytes)}, too large for a Windows command line; read it from the file %${v.name}_FILE% instead of using a template in \`run\``);
  }
  return `"$(cat -- ${shellQuote(path)})"`;
}

function note(v: CommandValue, reason: FileReason): string {
  const how = `passed as a file: $${v.name}_FILE`;
  switch (reason) {
    case 'nul':
      return `waymark: ${v.label} contains NUL bytes, which a variable cannot hold; ${how}`;
    case 'size':
      return `waymark: ${v.label} is ${size(v.bytes)} (over ${size(VALUE_LIMIT)}, the most one variable may hold); ${how}`;
    case 'budget':
      return `waymark: ${v.label} is ${size(v.bytes)} (the phase's values together are over ${size(TOTAL_LIMIT)}); ${how}`;
    default:
      return assertNever(reason);
  }
}

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : `${Math.round(bytes / 1024)} KiB`;
}
