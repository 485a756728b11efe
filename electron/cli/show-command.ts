/** `waymark runs` and `waymark show`: read-only views of the database. */
import { stripVTControlCharacters } from 'node:util';
import { formatDuration } from '../../shared/duration';
import { ownerLabel } from '../../shared/owner';
import { WaymarkError } from '../../shared/errors';
import type { AttemptRecord, PhaseRecord, RunRecord } from '../../shared/records';
import { runActiveMs, runWallMs } from '../../shared/run-time';
import type { CheckpointStore } from '../store/types';
import { phaseDocument, phaseText, readPhaseView } from './phase-view';
import type { ReuseSummary } from '../../shared/reuse';
import type { UsageTotals } from '../../shared/usage';
import { formatCost, formatTokenCount, formatTokenUsage } from '../../shared/usage-format';
import { reuseOf } from '../store/reuse-of';
import { EXIT_CODES, isResumable } from '../../shared/status';
import { runNotFound } from '../store/rules';
import { errorJson, runJson, runListJson } from './json-output';
import { exitCodeForError, openToRead, reportError, writeJson, type CliIO } from './cli-context';
import { runsLimit, type RunsOptions } from './runs-options';
import { decisionLines, waitingHint } from './waiting-hint';
import { plainFirstLine } from './terminal-text';

/** `waymark runs`: the newest runs (runs-options.ts), one JSON array with --json. */
export async function runsCommand(options: RunsOptions & { db?: string; json?: boolean }, io: CliIO): Promise<number> {
  try {
    const limit = runsLimit(options);
    const store = await openToRead(options.db, io);
    // One more than asked for tells whether there are more to mention.
    const found = store ? await store.listRuns(Math.min(limit + 1, Number.MAX_SAFE_INTEGER), options.status) : [];
    await store?.close();
    const runs = found.slice(0, limit);
    if (options.json) {
      writeJson(io, runListJson(runs));
      return EXIT_CODES.succeeded;
    }
    if (runs.length === 0) {
      io.stdout.write(options.status ? `No ${options.status} runs.\n` : 'No runs yet. Start one with: waymark run FLOW.yaml\n');
      return EXIT_CODES.succeeded;
    }
    const rows = runs.map((r) => [r.id, r.status, r.flowName, new Date(r.createdAt).toLocaleString(), duration(r), tokens(r), formatCost(r.usage), ownerLabel(r.owner) ?? '']);
    printTable(io, ['RUN', 'STATUS', 'FLOW', 'STARTED', 'DURATION', 'TOKENS', 'COST', 'OWNER'], rows);
    const waiting = runs.filter((r) => r.status === 'waiting');
    if (waiting.length > 0) io.stdout.write(`\n${waiting.length} run(s) wait for a person: waymark show RUN says for what (approve / reject / raise the budget)\n`);
    const resumable = runs.filter((r) => isResumable(r.status) && r.status !== 'waiting');
    if (resumable.length > 0) io.stdout.write(`\n${resumable.length} run(s) can be resumed: waymark resume RUN\n`);
    if (found.length > runs.length) io.stdout.write(`\nShowing the newest ${runs.length}; there are more (--limit N or --all).\n`);
    return EXIT_CODES.succeeded;
  } catch (err) {
    reportError(io, err);
    return exitCodeForError(err);
  }
}

export async function showCommand(runId: string, options: { db?: string; json?: boolean; phase?: string }, io: CliIO): Promise<number> {
  try {
    const store = await openToRead(options.db, io);
    if (options.phase !== undefined) return await showPhase(store, runId, options.phase, options, io);
    const run = await store?.getRun(runId);
    const phases = run && store ? await store.getPhases(runId) : [];
    const decisions = run && store ? await store.getDecisions(runId) : [];
    const reuse = run && store ? await reuseOf(store, run) : null;
    // Every try of every phase: only the --json document carries them.
    const tries = run && store && options.json ? await store.getTries(runId) : undefined;
    const attempts = run && store && run.attempt > 1 ? await store.getAttempts(runId) : [];
    await store?.close();
    if (!run) throw runNotFound(runId);
    if (options.json) writeJson(io, runJson(run, phases, reuse, tries));
    else {
      printRunSummary(io, run, phases, reuse, attempts);
      // What a waiting run needs (prompts, commands) and who decided what so far.
      for (const part of [decisionLines(decisions), waitingHint(run, phases, options.db)]) if (part) io.stdout.write(`\n${part}`);
    }
    return EXIT_CODES.succeeded;
  } catch (err) {
    reportError(io, err);
    if (options.json) writeJson(io, errorJson(err instanceof Error ? err.message : String(err)));
    return exitCodeForError(err);
  }
}

/** `show --phase`: one phase whole (phase-view.ts); exit 2 with the run's phases for a phase it does not have. */
async function showPhase(store: CheckpointStore | null | undefined, runId: string, phaseId: string, options: { json?: boolean }, io: CliIO): Promise<number> {
  const run = await store?.getRun(runId);
  const view = run && store ? await readPhaseView(store, run, phaseId) : undefined;
  const phases = run && store && !view ? await store.getPhases(runId) : [];
  await store?.close();
  if (!run) throw runNotFound(runId);
  if (!view) {
    const known = phases.map((p) => p.phaseId).join(', ') || 'none';
    throw new WaymarkError('USAGE', `run ${runId} has no phase "${phaseId}" (its phases: ${known})`, { where: { phaseId } });
  }
  if (options.json) writeJson(io, phaseDocument(view));
  else io.stdout.write(phaseText(view, io.stdout, io.env));
  return EXIT_CODES.succeeded;
}

/** `attempts`: the run's attempts, listed when there are several. */
export function printRunSummary(io: CliIO, run: RunRecord, phases: readonly PhaseRecord[], reuse?: ReuseSummary | null, attempts: readonly AttemptRecord[] = []): void {
  const owner = ownerLabel(run.owner);
  const used = run.usage.steps > 0 ? ` · ${formatTokenUsage(run.usage)} · ${formatCost(run.usage)}` : '';
  io.stdout.write(`run ${run.id} · ${run.flowName} · ${run.status} · attempt ${run.attempt} · ${timing(run)}${used}${owner ? ` · on ${owner}` : ''}\n`);
  if (run.rerunOf) io.stdout.write(`a rerun of run ${run.rerunOf.runId} from phase ${run.rerunOf.phase}\n`);
  if (attempts.length > 1) io.stdout.write(`${attemptLines(attempts).join('\n')}\n`);
  if (reuse) io.stdout.write(`${reuseLine(reuse)}\n`);
  const rows = phases.map((p) => [p.phaseId, p.status, String(p.attempts), phaseDuration(p), phaseTokens(p), p.usage.steps > 0 ? formatCost(p.usage) : '', preview(p)]);
  printTable(io, ['PHASE', 'STATUS', 'TRIES', 'TIME', 'TOKENS', 'COST', 'OUTPUT / ERROR'], rows);
}

/**
 * "resumed 2×: reusing 3 phases saved 12.4k in · 3.1k out tokens ($0.04); phases that
 * ran again spent 2k in · 500 out tokens ($0.01) (code)".
 */
function reuseLine(r: ReuseSummary): string {
  const amount = (u: UsageTotals) => (u.steps === 0 ? 'no model tokens' : `${formatTokenUsage(u)} (${formatCost(u)})`);
  const again = r.rerunPhases.length > 0 ? `; phases that ran again spent ${amount(r.spentAgain)} (${r.rerunPhases.join(', ')})` : '';
  return `resumed ${r.resumes}×: reusing ${r.reusedPhases} phase${r.reusedPhases === 1 ? '' : 's'} saved ${amount(r.saved)}${again}`;
}

/** "12.4k in · 3.1k out", or nothing for a phase without model steps. */
function phaseTokens(p: PhaseRecord): string {
  return p.usage.steps > 0 ? `${formatTokenCount(p.usage.inputTokens)} in · ${formatTokenCount(p.usage.outputTokens)} out` : '';
}

/** The first line of the output or error, without escape codes: a table cell cannot hold colours cut short. */
function preview(p: PhaseRecord): string {
  const waiting = p.waiting && (p.waiting.reason === 'approval' ? 'waiting for approval' : `waiting for budget${p.waiting.message ? `: ${p.waiting.message}` : ''}`);
  return plainFirstLine(waiting || (p.error?.message ?? p.output ?? ''), 60);
}

/** The attempts' active time, the run's duration (shared/run-time.ts). */
function duration(r: RunRecord): string {
  return formatDuration(runActiveMs(r, Date.now()));
}

/** "1m05s active (3h10m wall)": the wall time only when it differs. */
function timing(r: RunRecord): string {
  const now = Date.now();
  const [active, wall] = [formatDuration(runActiveMs(r, now)), formatDuration(runWallMs(r, now))];
  return active === wall ? active : `${active} active (${wall} wall)`;
}

/** "attempt 1 · failed · 12:03 · 1.2s · phase "code" failed", one per attempt. */
function attemptLines(attempts: readonly AttemptRecord[]): string[] {
  return attempts.map((a) => {
    const span = a.finishedAt === null ? 'running' : formatDuration(a.finishedAt - a.startedAt);
    const error = a.error ? ` · ${stripVTControlCharacters(a.error.message).split('\n')[0] ?? ''}` : '';
    return `  attempt ${a.attempt} · ${a.status} · ${new Date(a.startedAt).toLocaleString()} · ${span}${error}`;
  });
}

function phaseDuration(p: PhaseRecord): string {
  return p.startedAt !== null && p.finishedAt !== null && p.finishedAt >= p.startedAt ? formatDuration(p.finishedAt - p.startedAt) : '';
}

function tokens(r: RunRecord): string {
  const total = r.usage.inputTokens + r.usage.outputTokens;
  return total > 0 ? formatTokenCount(total) : '–';
}

function printTable(io: CliIO, head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number))).join('  ').trimEnd();
  io.stdout.write(`${fmt(head)}\n${rows.map(fmt).join('\n')}\n`);
}
