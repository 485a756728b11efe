/**
 * `waymark show RUN --phase ID` (SPEC §6): one phase whole. Its latest state, then every
 * try (status, error, when and how long, the command line it ran and what it wrote to
 * stderr; a try that did not succeed also its stdout), its whole output, and for agent
 * phases the transcript. `--json` prints the same as one document.
 */
import { formatDuration } from '../../shared/duration';
import { formatError } from '../../shared/errors';
import type { PhaseRecord, RunRecord, TranscriptEntry, TryRecord } from '../../shared/records';
import { formatCost, formatTokenUsage } from '../../shared/usage-format';
import type { CheckpointStore } from '../store/types';
import { phaseJson, tryJson, type PhaseJson, type TryJson } from './json-output';
import { showsColour, terminalText } from './terminal-text';
import { readWholeLog, type WholeLog } from './try-log';
import { transcriptLines } from './transcript-text';

/** What `show --phase` reads of one phase. */
export interface PhaseView {
  run: RunRecord;
  /** Undefined for a phase with tries that is no longer in the run's plan. */
  phase: PhaseRecord | undefined;
  phaseId: string;
  tries: TryRecord[];
  /** The whole log of each try that saved one, by try number. */
  logs: Map<number, WholeLog>;
  transcript: TranscriptEntry[];
}

export interface PhaseDocumentJson {
  runId: string;
  phase: Partial<PhaseJson> & { id: string; kind: string | null; tries: (TryJson & TryLogJson)[] };
  transcript: TranscriptEntry[];
}

/** What a try printed: the whole streams where saved, else their last part. */
interface TryLogJson {
  commandLine: string | null;
  output: string | null;
  stdout: string | null;
  stderr: string | null;
}

export async function readPhaseView(store: CheckpointStore, run: RunRecord, phaseId: string): Promise<PhaseView | undefined> {
  const phase = (await store.getPhases(run.id)).find((p) => p.phaseId === phaseId);
  const tries = await store.getTries(run.id, phaseId);
  if (!phase && tries.length === 0) return undefined;
  const logs = new Map<number, WholeLog>();
  for (const t of tries) {
    const log = await readWholeLog(store, run.id, phaseId, t.attempt);
    if (log) logs.set(t.attempt, log);
  }
  const transcript = await store.readTranscript(run.id, phaseId, 0, Number.MAX_SAFE_INTEGER);
  return { run, phase, phaseId, tries, logs, transcript };
}

export function phaseDocument(view: PhaseView): PhaseDocumentJson {
  const base = view.phase ? phaseJson(view.phase) : { id: view.phaseId };
  const tries = view.tries.map((t) => ({ ...tryJson(t), ...tryLogJson(t, view.logs.get(t.attempt)) }));
  return { runId: view.run.id, phase: { ...base, kind: view.phase?.kind ?? null, tries }, transcript: view.transcript };
}

/** The text of `show --phase`; colours kept only on a terminal that shows them. */
export function phaseText(view: PhaseView, out: { isTTY?: boolean }, env: NodeJS.ProcessEnv): string {
  const colour = showsColour(out, env);
  const { run, phase, phaseId, tries } = view;
  const lines: string[] = [];
  const head = [`phase ${phaseId}`, phase?.kind, phase?.status ?? 'not in the current plan', `${tries.length} ${tries.length === 1 ? 'try' : 'tries'}`, `run ${run.id} (${run.flowName})`];
  lines.push(head.filter(Boolean).join(' · '));
  if (phase && phase.dependsOn.length > 0) lines.push(`depends on: ${phase.dependsOn.join(', ')}`);
  if (phase && phase.usage.steps > 0) lines.push(`usage: ${formatTokenUsage(phase.usage)} · ${formatCost(phase.usage)}`);
  if (tries.length === 0) lines.push('', phase?.status === 'succeeded' ? 'No tries in this run: its output was reused.' : 'No tries yet.');
  for (const t of tries) lines.push('', ...tryLines(t, view.logs.get(t.attempt)));
  const output = phase?.output ?? null;
  lines.push('', output === null ? 'output: none (the phase has not succeeded)' : `output:${output === '' ? ' (empty)' : ''}`);
  if (output) lines.push(output.endsWith('\n') ? output.slice(0, -1) : output);
  if (view.transcript.length > 0) lines.push('', 'transcript:', ...transcriptLines(view.transcript));
  return `${terminalText(lines.join('\n'), colour)}\n`;
}

function tryLines(t: TryRecord, log: WholeLog | undefined): string[] {
  const span = t.finishedAt === null ? (t.status === 'running' ? 'running' : '') : formatDuration(t.finishedAt - t.startedAt);
  const head = [`try ${t.attempt}`, `run attempt ${t.runAttempt}`, t.status, new Date(t.startedAt).toLocaleString(), span, t.exitCode !== null ? `exit code ${t.exitCode}` : ''];
  if (t.usage.steps > 0) head.push(`${formatTokenUsage(t.usage)} · ${formatCost(t.usage)}`);
  const lines = [head.filter(Boolean).join(' · ')];
  if (t.error) lines.push(...formatError(t.error).split('\n').map((l, i) => (i === 0 ? `  error: ${l}` : `  ${l}`)));
  if (t.decision) lines.push(`  ${t.decision.decision} by ${t.decision.by} at ${new Date(t.decision.at).toLocaleString()}${t.decision.comment ? `: ${t.decision.comment}` : ''}`);
  const commandLine = log?.commandLine ?? t.commandLine;
  if (commandLine) lines.push(`  $ ${commandLine}`);
  // A success's stdout is the phase's output, printed once below; everything else a try wrote is shown here.
  const streams = t.status === 'succeeded' ? (['stderr'] as const) : (['stdout', 'stderr'] as const);
  for (const stream of streams) {
    const text = log ? log.lines.filter((l) => l.stream === stream).map((l) => l.text) : tailLines(stream === 'stdout' ? t.stdoutTail : t.stderrTail);
    if (text.length === 0) continue;
    lines.push(`  ${stream}${log ? '' : ' (last part)'}:`, ...text.map((l) => `  │ ${l}`));
  }
  return lines;
}

function tailLines(text: string | null): string[] {
  if (!text) return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function tryLogJson(t: TryRecord, log: WholeLog | undefined): TryLogJson {
  const stream = (which: 'stdout' | 'stderr') => (log ? log.lines.filter((l) => l.stream === which).map((l) => `${l.text}\n`).join('') : which === 'stdout' ? t.stdoutTail : t.stderrTail);
  return { commandLine: log?.commandLine ?? t.commandLine, output: t.output, stdout: stream('stdout'), stderr: stream('stderr') };
}
