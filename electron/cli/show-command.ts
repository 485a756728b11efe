/** `waymark runs` and `waymark show`: read-only views of the database. */
import { formatDuration } from '../../shared/duration';
import { ownerLabel } from '../../shared/owner';
import type { PhaseRecord, RunRecord } from '../../shared/records';
import { EXIT_CODES, isResumable } from '../../shared/status';
import { runNotFound } from '../store/rules';
import { errorJson, runJson, runListJson } from './json-output';
import { exitCodeForError, openEngine, reportError, writeJson, type CliIO } from './cli-context';
import { runsLimit, type RunsOptions } from './runs-options';

/** `waymark runs`: the newest runs (runs-options.ts), one JSON array with --json. */
export async function runsCommand(options: RunsOptions & { db?: string; json?: boolean }, io: CliIO): Promise<number> {
  try {
    const limit = runsLimit(options);
    const engine = await openEngine(options.db, io, { readOnly: true });
    // One more than asked for tells whether there are more to mention.
    const found = engine ? await engine.store.listRuns(Math.min(limit + 1, Number.MAX_SAFE_INTEGER), options.status) : [];
    await engine?.store.close();
    const runs = found.slice(0, limit);
    if (options.json) {
      writeJson(io, runListJson(runs));
      return EXIT_CODES.succeeded;
    }
    if (runs.length === 0) {
      io.stdout.write(options.status ? `No ${options.status} runs.\n` : 'No runs yet. Start one with: waymark run FLOW.yaml\n');
      return EXIT_CODES.succeeded;
    }
    const rows = runs.map((r) => [r.id, r.status, r.flowName, new Date(r.createdAt).toLocaleString(), duration(r), tokens(r), ownerLabel(r.owner) ?? '']);
    printTable(io, ['RUN', 'STATUS', 'FLOW', 'STARTED', 'DURATION', 'TOKENS', 'OWNER'], rows);
    const resumable = runs.filter((r) => isResumable(r.status));
    if (resumable.length > 0) io.stdout.write(`\n${resumable.length} run(s) can be resumed: waymark resume RUN\n`);
    if (found.length > runs.length) io.stdout.write(`\nShowing the newest ${runs.length}; there are more (--limit N or --all).\n`);
    return EXIT_CODES.succeeded;
  } catch (err) {
    reportError(io, err);
    return exitCodeForError(err);
  }
}

export async function showCommand(runId: string, options: { db?: string; json?: boolean }, io: CliIO): Promise<number> {
  try {
    const engine = await openEngine(options.db, io, { readOnly: true });
    const run = await engine?.store.getRun(runId);
    const phases = run && engine ? await engine.store.getPhases(runId) : [];
    await engine?.store.close();
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
  const owner = ownerLabel(run.owner);
  io.stdout.write(`run ${run.id} · ${run.flowName} · ${run.status} · attempt ${run.attempt} · ${duration(run)}${run.usage.inputTokens + run.usage.outputTokens > 0 ? ` · ${tokens(run)} tokens` : ''}${owner ? ` · on ${owner}` : ''}\n`);
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
