/**
 * Is a sandbox usable here? On Linux, bubblewrap must be installed AND work: it is run
 * once with the namespaces and mounts the real policy uses, because unprivileged user
 * namespaces may be disabled (sysctl, AppArmor on Ubuntu 24.04+) and containers may
 * forbid mounting /proc. A working answer is cached per program; a failure is not, so
 * installing bubblewrap takes effect without restarting Waymark.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { SANDBOX_EXEC } from './macos-seatbelt';

export type SandboxSupport = { ok: true; kind: 'bubblewrap' | 'seatbelt'; program: string } | { ok: false; reason: string };

const PROBE_ARGS = ['--unshare-all', '--cap-drop', 'ALL', '--die-with-parent', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp', 'true'];
const PROBE_TIMEOUT_MS = 10_000;

const working = new Map<string, SandboxSupport>();

export async function detectSandbox(options: { platform?: NodeJS.Platform; bwrapPath?: string } = {}): Promise<SandboxSupport> {
  const platform = options.platform ?? process.platform;
  if (platform === 'darwin') return executable(SANDBOX_EXEC) ? { ok: true, kind: 'seatbelt', program: SANDBOX_EXEC } : { ok: false, reason: `${SANDBOX_EXEC} is missing` };
  if (platform !== 'linux') return { ok: false, reason: `there is no sandbox for ${platform === 'win32' ? 'Windows' : platform}` };
  const program = options.bwrapPath ?? findOnPath('bwrap') ?? 'bwrap';
  const known = working.get(program);
  if (known) return known;
  const support = await probeBubblewrap(program);
  if (support.ok) working.set(program, support);
  return support;
}

function probeBubblewrap(program: string): Promise<SandboxSupport> {
  return new Promise((resolve) => {
    execFile(program, PROBE_ARGS, { env: {}, timeout: PROBE_TIMEOUT_MS }, (err, _stdout, stderr) => {
      if (!err) return resolve({ ok: true, kind: 'bubblewrap', program });
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return resolve({ ok: false, reason: `bubblewrap is not installed (no ${program})` });
      const why = String(stderr).trim().split('\n')[0] || err.message;
      resolve({ ok: false, reason: `bubblewrap does not work here: ${why}` });
    });
  });
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
