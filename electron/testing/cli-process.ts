/**
 * Real `waymark` processes for tests: one run to completion (`cli`), one left running
 * (`start`) to signal or kill.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const BIN = resolve(__dirname, '../../bin/waymark.mjs');

/**
 * The environment of a test's `waymark`: database `db`, and a data folder of its own
 * (beside a database file; per test process for a URL), so serve tokens and settings
 * never land in the real user's folder.
 */
function cliEnv(db: string): NodeJS.ProcessEnv {
  const config = /^postgres(ql)?:/.test(db) ? join(tmpdir(), `waymark-test-config-${process.pid}`) : join(dirname(resolve(db)), '.config');
  return { ...process.env, WAYMARK_DB: db, XDG_CONFIG_HOME: config };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export type RunningCli = ChildProcess & { output: () => { stdout: string; stderr: string } };

/** Runs `waymark ARGS` against database `db` and waits for it to exit. */
export function cli(db: string, args: string[]): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: cliEnv(db), timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts `waymark ARGS` against database `db`, collecting its output. */
export function startCli(db: string, args: string[]): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], { env: cliEnv(db), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return Object.assign(child, { output: () => ({ stdout, stderr }) });
}

export const exited = (child: ChildProcess): Promise<number | null> =>
  new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(child.exitCode) : child.once('exit', (code) => r(code))));
