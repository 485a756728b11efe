/**
 * Runs a shell command in its own process group, so cancellation reaches every process
 * it started: SIGTERM to the group, then SIGKILL after a grace period.
 */
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { decodeUtf8 } from './utf8';

export interface CommandResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when stdout exceeded the cap and was cut. */
  truncated: boolean;
  /** Bytes of stdout that were not UTF-8, each sequence replaced with U+FFFD (see utf8.ts). */
  stdoutInvalidBytes: number;
}

export interface RunCommandOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  maxOutputBytes?: number;
  killGraceMs?: number;
  onData?(stream: 'stdout' | 'stderr', text: string): void;
  /**
   * A program and its arguments that runs the shell, e.g. a sandbox (POSIX only): the
   * spawned argv is `[...launcher, '/bin/sh', '-c', command]`, still in its own group.
   */
  launcher?: readonly string[];
  /**
   * Called right after the spawn with the pid, which is also the process group id
   * (POSIX): the moment to record the group durably. On POSIX the command itself waits
   * (its shell blocks reading one line from stdin) until `recorded` settles, so a group
   * never does work before a crash of this process could leave it unrecorded. `forget`
   * is called once the command has ended (leader exited, output closed). Must not throw.
   */
  onSpawn?(pid: number): TrackedProcess | undefined;
}

/** A process group being recorded: `recorded` settles once its row is durable (or failed). */
export interface TrackedProcess {
  recorded: Promise<void>;
  forget(): void;
}

/** Prefixed to a gated command: wait for one line on stdin, the go-ahead, then run. */
const GATE = 'IFS= read -r _waymark_go || :; ';

export const DEFAULT_MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
const STDERR_CAP = 1024 * 1024;

export function runShellCommand(command: string, options: RunCommandOptions): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    if (options.signal.aborted) return reject(options.signal.reason);
    const isWindows = process.platform === 'win32';
    const gated = !isWindows && options.onSpawn !== undefined;
    const script = gated ? `${GATE}${command}` : command;
    const [file, ...args] = isWindows ? [process.env.ComSpec ?? 'cmd.exe', '/d', '/s', '/c', command] : [...(options.launcher ?? []), '/bin/sh', '-c', script];
    const child = spawn(file as string, args, {
      cwd: options.cwd,
      env: options.env,
      detached: !isWindows,
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const tracking = child.pid === undefined ? undefined : options.onSpawn?.(child.pid);
    const ended = tracking ? () => tracking.forget() : undefined;
    // stdin is closed at once (the command reads EOF, as from /dev/null), or, when gated,
    // after the go-ahead line once the group is recorded.
    child.stdin.on('error', () => undefined); // the command may exit (or be killed) before it reads
    if (gated) void (tracking?.recorded ?? Promise.resolve()).finally(() => child.stdin.end('\n'));
    else child.stdin.end();
    const cap = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let truncated = false;
    // One decoder per stream: a character split across two chunks is held back, not garbled.
    const live = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
    const emit = (stream: 'stdout' | 'stderr', text: string) => {
      if (text) options.onData?.(stream, text);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      if (outBytes + chunk.length > cap) {
        truncated = true;
        chunk = chunk.subarray(0, Math.max(0, cap - outBytes));
      }
      outBytes += chunk.length;
      out.push(chunk);
      emit('stdout', live.stdout.write(chunk));
    });
    child.stderr.on('data', (chunk: Buffer) => {
      errBytes += chunk.length;
      err.push(chunk);
      while (errBytes > STDERR_CAP && err.length > 1) errBytes -= (err.shift() as Buffer).length;
      emit('stderr', live.stderr.write(chunk));
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
      ended?.();
      reject(e);
    });
    child.on('close', (exitCode, signal) => {
      options.signal.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      emit('stdout', live.stdout.end());
      emit('stderr', live.stderr.end());
      if (options.signal.aborted) {
        killTree(child.pid, 'SIGKILL'); // leftovers that ignored SIGTERM
        ended?.();
        return reject(options.signal.reason);
      }
      ended?.();
      const stdout = decodeUtf8(Buffer.concat(out));
      resolve({ exitCode, signal, stdout: stdout.text, stderr: Buffer.concat(err).toString('utf8'), truncated, stdoutInvalidBytes: stdout.invalidBytes });
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
