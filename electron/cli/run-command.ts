/**
 * `waymark run`, `waymark resume` and `waymark rerun`: execute in the foreground with progress on stderr.
 * SIGINT/SIGTERM stop running phases and record the run `interrupted` (exit 3); a
 * second signal SIGKILLs the running commands and exits at once, leaving the run for the
 * next start to find.
 *
 * With `--queue` they only submit the run for a worker (SPEC §7) and exit 0 at once:
 * the run id on stdout (or, with `--json`, the run document, status `queued`).
 */
import type { RunRecord } from '../../shared/records';
import { EXIT_CODES, exitCodeFor } from '../../shared/status';
import { formatError } from '../../shared/errors';
import type { Engine, RunHandle } from '../engine/engine';
import { parseInputPairs } from '../engine/inputs';
import { errorJson, runJson } from './json-output';
import { createProgress } from './progress';
import { exitCodeForError, openEngine, reportError, writeJson, type CliIO } from './cli-context';
import { printRunSummary } from './show-command';
import { reuseOf } from '../store/reuse-of';
import { showsColour, terminalText } from './terminal-text';
import { waitingHint } from './waiting-hint';

export interface RunOptions {
  input?: string[];
  db?: string;
  json?: boolean;
  queue?: boolean;
}

export interface ResumeOptions {
  restartPhase?: string;
  /** The attempt's USD limit (run-budget.ts); parsed by budget-option.ts. */
  budgetUsd?: number;
  db?: string;
  json?: boolean;
  queue?: boolean;
}

export function runCommand(flowFile: string, options: RunOptions, io: CliIO): Promise<number> {
  const request = { flowFile, inputs: parseInputPairs(options.input ?? []) };
  if (options.queue) return submit(options, io, (engine) => engine.enqueueRun(request));
  return foreground(options, io, (engine) => engine.startRun(request));
}

export function resumeCommand(runId: string, options: ResumeOptions, io: CliIO): Promise<number> {
  const request = { runId, ...(options.restartPhase ? { restartPhase: options.restartPhase } : {}), ...(options.budgetUsd !== undefined ? { budgetUsd: options.budgetUsd } : {}) };
  if (options.queue) return submit(options, io, (engine) => engine.enqueueResume(request));
  return foreground(options, io, (engine) => engine.resumeRun(request));
}

export interface RerunOptions {
  /** The phase to run again from (required). */
  from: string;
  db?: string;
  json?: boolean;
}

/**
 * `waymark rerun RUN --from PHASE`: runs the run again from that phase as a new run
 * (SPEC §4), in the foreground like `run`; exit codes as `run`.
 */
export function rerunCommand(runId: string, options: RerunOptions, io: CliIO): Promise<number> {
  return foreground(options, io, (engine) => engine.rerunRun({ runId, fromPhase: options.from }));
}

/** `--queue`: submits the run for a worker; exit 0 once it is durably queued. */
async function submit(options: { db?: string; json?: boolean }, io: CliIO, enqueue: (engine: Engine) => Promise<RunRecord>): Promise<number> {
  let engine: Engine;
  try {
    engine = await openEngine(options.db, io);
  } catch (err) {
    return fail(io, options, err);
  }
  try {
    const run = await enqueue(engine);
    if (options.json) writeJson(io, runJson(run, await engine.store.getPhases(run.id)));
    else io.stdout.write(`${run.id}\n`);
    io.stderr.write(`queued run ${run.id} of ${run.flowName}: a worker will run it (waymark worker); follow it with: waymark show ${run.id}\n`);
    return exitCodeFor(run.status);
  } catch (err) {
    return fail(io, options, err);
  } finally {
    await engine.store.close();
  }
}

/**
 * Opens the engine, starts (or continues) a run with `start` and follows it in the
 * foreground to its outcome: progress on stderr, the result on stdout, the exit code
 * by the outcome (also `approve` / `reject`: decide-command.ts, which know the run id
 * before its first event: `knownRunId`).
 */
export async function foreground(options: { db?: string; json?: boolean }, io: CliIO, start: (engine: Engine) => Promise<RunHandle>, knownRunId?: string): Promise<number> {
  let engine: Engine;
  try {
    engine = await openEngine(options.db, io);
  } catch (err) {
    return fail(io, options, err);
  }
  let runId: string | undefined = knownRunId;
  const progress = createProgress(io.stderr, () => runId);
  const unsubscribe = engine.onEvent((event) => {
    if (event.type === 'run.started') runId ??= event.runId;
    progress.handle(event);
  });
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      // No time for the graceful stop: kill the commands first (even those ignoring
      // SIGTERM), so none outlives this process. The run is found interrupted next start.
      engine.killProcessGroupsNow();
      process.exit(EXIT_CODES.interrupted);
    }
    progress.note(`${signal}: stopping running phases and saving progress… (press again to quit at once)`);
    void engine.shutdown();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const handle = await start(engine);
    runId = handle.runId;
    // A signal that came while the run was being created stops it now.
    if (signals > 0) void engine.shutdown();
    const outcome = await handle.done;
    progress.stop();
    const run = await engine.store.getRun(outcome.runId);
    const phases = await engine.store.getPhases(outcome.runId);
    const reuse = run ? await reuseOf(engine.store, run) : null;
    const tries = options.json ? await engine.store.getTries(outcome.runId) : undefined;
    // The outcome this process reports is what the store holds, or will hold once
    // reaped: when the end could not be saved, the outcome (interrupted) wins.
    const shown = run && run.status !== outcome.status ? { ...run, status: outcome.status, error: outcome.error } : run;
    if (options.json && shown) writeJson(io, runJson(shown, phases, reuse, tries));
    else if (shown) printRunSummary(io, shown, phases, reuse);
    if (outcome.error && !options.json) io.stderr.write(`${terminalText(formatError(outcome.error), showsColour(io.stderr, io.env))}\n`);
    // A waiting run is decided, not resumed: say on what, and with which commands.
    if (outcome.status === 'waiting' && shown) io.stderr.write(waitingHint(shown, phases, options.db));
    else if (outcome.status !== 'succeeded') io.stderr.write(`resume with: waymark resume ${outcome.runId}\n`);
    return exitCodeFor(outcome.status);
  } catch (err) {
    progress.stop();
    return fail(io, options, err);
  } finally {
    unsubscribe();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await engine.store.close();
  }
}

function fail(io: CliIO, options: { json?: boolean }, err: unknown): number {
  reportError(io, err);
  if (options.json) writeJson(io, errorJson(err instanceof Error ? err.message : String(err)));
  return exitCodeForError(err);
}
