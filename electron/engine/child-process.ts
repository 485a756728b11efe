/**
 * Runs a shell command in its own process group, so cancellation reaches every process
 * it started: SIGTERM to the group, then SIGKILL after a grace period.
 */
import { spawn } from 'node:child_process';

export interface CommandResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when stdout exceeded the cap and was cut. */
  truncated: boolean;
}

export interface RunCommandOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  maxOutputBytes?: number;
  killGraceMs?: number;
  onData?(stream: 'stdout' | 'stderr', text: string): void;
}

export const DEFAULT_MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
const STDERR_CAP = 1024 * 1024;

export function runShellCommand(command: string, options: RunCommandOptions): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    if (options.signal.aborted) return reject(options.signal.reason);
    const isWindows = process.platform === 'win32';
    const child = spawn(isWindows ? (process.env.ComSpec ?? 'cmd.exe') : '/bin/sh', isWindows ? ['/d', '/s', '/c', command] : ['-c', command], {
      cwd: options.cwd,
      env: options.env,
      detached: !isWindows,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const cap = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let truncated = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (outBytes + chunk.length > cap) {
        truncated = true;
        chunk = chunk.subarray(0, Math.max(0, cap - outBytes));
      }
      outBytes += chunk.length;
      out.push(chunk);
      options.onData?.('stdout', chunk.toString('utf8'));
    });
    child.stderr.on('data', (chunk: Buffer) => {
      errBytes += chunk.length;
      err.push(chunk);
      while (errBytes > STDERR_CAP && err.length > 1) errBytes -= (err.shift() as Buffer).length;
      options.onData?.('stderr', chunk.toString('utf8'));
    });
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      killTree(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => killTree(child.pid, 'SIGKILL'), options.killGraceMs ?? 2_000);
      killTimer.unref();
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e) => {
      options.signal.removeEventListener('abort', onAbort);
      reject(e);
    });
    child.on('close', (exitCode, signal) => {
      options.signal.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      if (options.signal.aborted) {
        killTree(child.pid, 'SIGKILL'); // leftovers that ignored SIGTERM
        return reject(options.signal.reason);
      }
      resolve({ exitCode, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), truncated });
    });
  });
}

/** Signals the whole process group of `pid` (the command and everything it spawned). */
export function killTree(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    if (process.platform === 'win32') {
      spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    } else {
      process.kill(-pid, signal);
    }
  } catch {
    // already gone
  }
}
