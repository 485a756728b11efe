/**
 * Which values a `command` phase gets in its environment and command line, and which it
 * gets as files instead (docs/flows.md, "Large and binary values"). Pure: no I/O.
 *
 * Linux refuses to start a process when one argv or environment string is over 128 KiB
 * (MAX_ARG_STRLEN) or all of them together are over ARG_MAX (often 2 MiB, less with a
 * small stack limit): `spawn E2BIG`. A string with a NUL byte cannot be passed at all.
 * So a value travels as a file when it holds a NUL, when it is over VALUE_LIMIT, or when
 * the values together would pass TOTAL_LIMIT or make `run` longer than RUN_LIMIT.
 */
import type { CommandPhase } from '../../../shared/flow/schema';
import { parseTemplate, renderTemplate, type TemplateRef } from '../../../shared/flow/template';
import { envName, shellQuote } from '../shell-quote';

/** The most one value may hold in a variable or in `run` (UTF-8 bytes). */
export const VALUE_LIMIT = 64 * 1024;
/** The most the rendered `run` line may hold; it is one argv string (limit 128 KiB). */
export const RUN_LIMIT = 96 * 1024;
/** The most Waymark adds to environment and argv together, leaving room for the inherited environment. */
export const TOTAL_LIMIT = 256 * 1024;
/** What a value costs once it is a file: its `_FILE` variable and a `$(cat -- '…')` in `run`. */
const FILE_COST = 256;

/** Why a value travels as a file. */
export type FileReason = 'nul' | 'size' | 'budget';

export interface CommandValue {
  /** For the phase log: `output of phase "gen"`, `input "topic"`, `env variable PROMPT`. */
  label: string;
  /** The variable that holds it: `WAYMARK_OUTPUT_GEN`, or an `env:` key. */
  name: string;
  text: string;
  bytes: number;
  /** Set when the value travels as a file; null when it fits in the variable. */
  fileReason: FileReason | null;
}

export interface ValuePlan {
  /** WAYMARK_INPUT_* and WAYMARK_OUTPUT_* values, by variable name. */
  waymark: Map<string, CommandValue>;
  /** The phase's `env:` entries, templates rendered. */
  env: CommandValue[];
}

/** The variable a template reference reads. */
export function refName(ref: TemplateRef): string {
  return ref.type === 'input' ? envName('WAYMARK_INPUT_', ref.name) : envName('WAYMARK_OUTPUT_', ref.phaseId);
}

/**
 * Plans the values of one try. `outputs` holds only what the phase references or
 * depends on directly (the scheduler's `outputsNeeded`); every flow input is included,
 * as SPEC §2 promises WAYMARK_INPUT_<NAME> to every command.
 */
export function planValues(phase: CommandPhase, inputs: Readonly<Record<string, string>>, outputs: ReadonlyMap<string, string>): ValuePlan {
  const waymark = new Map<string, CommandValue>();
  for (const [name, text] of Object.entries(inputs)) waymark.set(envName('WAYMARK_INPUT_', name), value(`input "${name}"`, envName('WAYMARK_INPUT_', name), text));
  for (const [id, text] of outputs) waymark.set(envName('WAYMARK_OUTPUT_', id), value(`output of phase "${id}"`, envName('WAYMARK_OUTPUT_', id), text));
  const resolve = (ref: TemplateRef) => waymark.get(refName(ref))?.text ?? '';
  const env = Object.entries(phase.env ?? {}).map(([key, raw]) => value(`env variable ${key}`, key, renderTemplate(String(raw), resolve)));
  fitLimits(phase.run, waymark, env);
  return { waymark, env };
}

function value(label: string, name: string, text: string): CommandValue {
  const bytes = Buffer.byteLength(text, 'utf8');
  return { label, name, text, bytes, fileReason: text.includes('\0') ? 'nul' : bytes > VALUE_LIMIT ? 'size' : null };
}

/**
 * Moves values to files, the costliest first, until `run` and the total fit. A value
 * costs its variable, plus its quoted length each time `run` uses it; quoting can make
 * it up to four times longer (every `'` becomes `'\''`).
 */
function fitLimits(run: string, waymark: Map<string, CommandValue>, env: CommandValue[]): void {
  const uses = new Map<string, number>();
  for (const part of parseTemplate(run)) if (part.ref) uses.set(refName(part.ref), (uses.get(refName(part.ref)) ?? 0) + 1);
  const all = [...waymark.values(), ...env];
  const quoted = new Map(all.filter((v) => !v.fileReason).map((v) => [v, Buffer.byteLength(shellQuote(v.text), 'utf8')]));
  const inRun = (v: CommandValue) => (waymark.get(v.name) === v ? (uses.get(v.name) ?? 0) : 0);
  const runCost = (v: CommandValue) => inRun(v) * (v.fileReason ? FILE_COST : (quoted.get(v) ?? 0));
  const envCost = (v: CommandValue) => (v.fileReason ? FILE_COST : v.name.length + v.bytes + 2);
  const runBase = Buffer.byteLength(run, 'utf8');
  for (;;) {
    const runBytes = all.reduce((sum, v) => sum + runCost(v), runBase);
    const total = all.reduce((sum, v) => sum + envCost(v), runBytes);
    if (runBytes <= RUN_LIMIT && total <= TOTAL_LIMIT) return;
    const cost = runBytes > RUN_LIMIT ? runCost : (v: CommandValue) => runCost(v) + envCost(v);
    const inline = all.filter((v) => !v.fileReason && cost(v) > FILE_COST);
    if (inline.length === 0) return; // only the `run` text itself is left: too long to start, which spawn reports
    const costliest = inline.reduce((a, b) => (cost(b) > cost(a) ? b : a));
    costliest.fileReason = 'budget';
  }
}
