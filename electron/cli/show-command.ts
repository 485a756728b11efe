/** `waymark runs` and `waymark show`: read-only views of the database. */
import { formatDuration } from '../../shared/duration';
import type { PhaseRecord, RunRecord } from '../../shared/records';
import { EXIT_CODES, isResumable } from '../../shared/status';
import { runNotFound } from '../store/rules';
import { errorJson, runJson, runListJson } from './json-output';
import { exitCodeForError, openEngine, reportError, writeJson, type CliIO } from './cli-context';

export function runsCommand(options: { db?: string; json?: boolean; limit?: string }, io: CliIO): number {
  try {
    const engine = openEngine(options.db, io, { readOnly: true });
    const runs = engine ? engine.store.listRuns(Number(options.limit ?? 50)) : [];
    engine?.store.close();
    if (options.json) {
      writeJson(io, runListJson(runs));
      return EXIT_CODES.succeeded;
    }
    if (runs.length === 0) {
      io.stdout.write('No runs yet. Start one with: waymark run FLOW.yaml\n');
      return EXIT_CODES.succeeded;
    }
    const rows = runs.map((r) => [r.id, r.status, r.flowName, new Date(r.createdAt).toLocaleString(), duration(r), tokens(r)]);
    printTable(io, ['RUN', 'STATUS', 'FLOW', 'STARTED', 'DURATION', 'TOKENS'], rows);
    const resumable = runs.filter((r) => isResumable(r.status));
    if (resumable.length > 0) io.stdout.write(`\n${resumable.length} run(s) can be resumed: waymark resume RUN\n`);
    return EXIT_CODES.succeeded;
  } catch (err) {
    reportError(io, err);
    return exitCodeForError(err);
  }
}

export function showCommand(runId: string, options: { db?: string; json?: boolean }, io: CliIO): number {
  try {
    const engine = openEngine(options.db, io, { readOnly: true });
    const run = engine?.store.getRun(runId);
    const phases = run && engine ? engine.store.getPhases(runId) : [];
    engine?.store.close();
    if (!run) throw runNotFound(runId);
    if (options.json) writeJson(io, runJson(run, phases));
    else printRunSummary(io, run, phases);
    return EXIT_CODES.succeeded;
  } catch (err) {
    reportError(io, err);
    if (options.json) writeJson(io, errorJson(err instanceof Error ? err.message : String(err)));
    return exitCodeForError(err);
  }
}

export function printRunSummary(io: CliIO, run: RunRecord, phases: readonly PhaseRecord[]): void {
  io.stdout.write(`run ${run.id} · ${run.flowName} · ${run.status} · attempt ${run.attempt} · ${duration(run)}${run.usage.inputTokens + run.usage.outputTokens > 0 ? ` · ${tokens(run)} tokens` : ''}\n`);
  const rows = phases.map((p) => [p.phaseId, p.status, String(p.attempts), phaseDuration(p), preview(p)]);
  printTable(io, ['PHASE', 'STATUS', 'TRIES', 'TIME', 'OUTPUT / ERROR'], rows);
}

function preview(p: PhaseRecord): string {
  const text = p.error?.message ?? p.output ?? '';
  const line = text.split('\n')[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

function duration(r: RunRecord): string {
  return formatDuration((r.finishedAt ?? Date.now()) - r.createdAt);
}

function phaseDuration(p: PhaseRecord): string {
  return p.startedAt !== null && p.finishedAt !== null && p.finishedAt >= p.startedAt ? formatDuration(p.finishedAt - p.startedAt) : '';
}

function tokens(r: RunRecord): string {
  const total = r.usage.inputTokens + r.usage.outputTokens;
  return total > 0 ? total.toLocaleString('en-US') : '–';
}

function printTable(io: CliIO, head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number))).join('  ').trimEnd();
  io.stdout.write(`${fmt(head)}\n${rows.map(fmt).join('\n')}\n`);
}
