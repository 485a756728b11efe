/** Real process groups for tests: a leader in its own group, killed afterwards whatever happened. */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** A shell loop that ignores SIGTERM (and so do its `sleep`s), in a new process group. */
export const IGNORES_TERM = "trap '' TERM; while :; do sleep 0.05; done";
/** A shell loop that dies on SIGTERM, in a new process group. */
export const OBEYS_TERM = 'while :; do sleep 0.05; done';

export interface TestGroup {
  pgid: number;
  kill(): void;
}

/** Starts `/bin/sh -c script` as the leader of a new group; the caller kills it in cleanup. */
export function startGroup(script: string): TestGroup {
  const child = spawn('/bin/sh', ['-c', script], { detached: true, stdio: 'ignore' });
  const pgid = child.pid;
  if (pgid === undefined) throw new Error('could not start a test process group');
  child.unref();
  return { pgid, kill: () => killGroup(pgid) };
}

/** Linux: true once process `pid` ignores SIGTERM (its shell has run `trap '' TERM`). */
export function ignoresTerm(pid: number): boolean {
  const mask = /^SigIgn:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return mask !== undefined && (BigInt(`0x${mask}`) & (1n << 14n)) !== 0n;
}

/**
 * True while a process of group `pgid` runs, as `ps` sees it. Zombies do not count: a
 * killed process whose parent died stays one until init gets round to reaping it.
 */
export function groupExists(pgid: number): boolean {
  const ps = spawnSync('ps', ['-A', '-o', 'pgid=,stat='], { encoding: 'utf8' });
  if (ps.status !== 0) throw new Error(`ps failed: ${ps.stderr}`);
  return ps.stdout.split('\n').some((line) => {
    const [group, stat] = line.trim().split(/\s+/);
    return Number(group) === pgid && stat !== undefined && !stat.startsWith('Z');
  });
}

/** Test cleanup: SIGKILL a group that may be left over by a failing test. */
export function killGroup(pgid: number | undefined): void {
  if (pgid === undefined) return;
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}
