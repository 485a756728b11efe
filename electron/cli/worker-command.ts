/**
 * `waymark worker` (SPEC §7): executes queued runs (`run --queue`, `resume --queue`) of
 * the database, up to `--concurrency` at once, until stopped. Progress is one line per
 * claimed or finished run on stderr; stdout stays empty.
 *
 * SIGINT/SIGTERM stop it cleanly: it claims nothing more, its runs are recorded
 * `interrupted` (resumable; `resume --queue` hands them back to a worker) and it exits 0.
 * A second signal kills the running commands and exits at once (3); the next Waymark
 * process to start finds those runs and re-queues them.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXIT_CODES } from '../../shared/status';
import type { Engine } from '../engine/engine';
import { Worker } from '../engine/worker';
import { databaseLabel, exitCodeForError, openEngine, reportError, type CliIO } from './cli-context';
import { untilSignal } from './signals';

export interface WorkerCliOptions {
  db?: string;
  concurrency?: string;
  workspaceRoot?: string;
}

export async function workerCommand(options: WorkerCliOptions, io: CliIO, signals: NodeJS.EventEmitter = process): Promise<number> {
  const concurrency = Number(options.concurrency ?? '1');
  if (!/^\d+$/.test(options.concurrency ?? '1') || concurrency < 1 || concurrency > 256) {
    io.stderr.write(`error: --concurrency must be a whole number from 1 to 256, got "${options.concurrency}"\n`);
    return EXIT_CODES.usage;
  }
  const root = resolve(options.workspaceRoot ?? process.cwd());
  if (!isFolder(root)) {
    io.stderr.write(`error: --workspace-root ${root} is not a folder: create it (runs work in it and under it)\n`);
    return EXIT_CODES.usage;
  }
  let engine: Engine | undefined;
  try {
    engine = await openEngine(options.db, io);
    const log = (line: string) => io.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
    const worker = new Worker({ engine, concurrency, workspaceRoot: root, log });
    const { host, pid } = engine.owner;
    const running = engine;
    // Listening before the banner and the first claim: a signal during start-up is a clean stop too.
    const stopped = untilSignal(signals, io, 'stopping; saving running runs as interrupted', () => running.killProcessGroupsNow());
    io.stderr.write(`worker ${host}:${pid} on ${databaseLabel(options.db, io.env)}: up to ${concurrency} run(s) at once, workspaces under ${root}; Ctrl+C stops it\n`);
    await worker.start();
    await stopped;
    await worker.stop();
    return EXIT_CODES.succeeded;
  } catch (err) {
    reportError(io, err);
    return exitCodeForError(err);
  } finally {
    await engine?.store.close();
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
