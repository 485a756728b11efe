/**
 * Stopping a process group some earlier Waymark process recorded (SPEC §4), without
 * ever signalling a group that only reuses the recorded number. A group is signalled
 * only when it was recorded on this host and its leader is still the very process that
 * was recorded: same pid and same start identity (Linux: boot id + start time from
 * /proc/PID/stat). Elsewhere the start identity is unknown (null), so such a group is
 * left alone rather than risk killing a stranger.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { killTree } from './child-process';

/** What was recorded about a group when its leader was spawned. */
export interface RecordedGroup {
  host: string;
  pgid: number;
  startTime: string | null;
}

/**
 * - `stopped`: it ended after SIGTERM; `killed`: it needed SIGKILL;
 * - `survived`: still there after SIGKILL (a process stuck in the kernel);
 * - `gone`: nothing of it was left; `reused`: the number now names another process;
 * - `unverifiable`: alive, but its leader cannot be compared (no start identity, or the
 *   leader exited and others of the group remain); `elsewhere`: recorded on another host.
 */
export type StopOutcome = 'stopped' | 'killed' | 'survived' | 'gone' | 'reused' | 'unverifiable' | 'elsewhere';

export interface StopOptions {
  /** This machine's host name, as owners record it. */
  here: string;
  /** How long a group may take to end after SIGTERM before SIGKILL. */
  graceMs?: number;
  /** How long to wait for a group to vanish after SIGKILL. */
  killWaitMs?: number;
}

export const STOP_GRACE_MS = 2_000;
const POLL_MS = 25;

interface ProcStat {
  state: string;
  pgrp: number;
  startTicks: string;
}

/** Fields of /proc/PID/stat; the command name may hold spaces and parentheses, so parse after the last ')'. */
function readStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); pgrp is field 5; starttime is field 22.
    return { state: fields[0] ?? '', pgrp: Number(fields[2]), startTicks: fields[19] ?? '' };
  } catch {
    return null;
  }
}

let bootId: string | undefined;

/** Start times count from boot: the boot id keeps a process of an earlier boot from matching. */
function currentBootId(): string {
  if (bootId === undefined) {
    try {
      bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      bootId = '';
    }
  }
  return bootId;
}

/**
 * An identity of the start of process `pid` that stays the same for its whole life and
 * differs for any later process given the same pid. Null where unknown (not Linux, or gone).
 */
export function processStartTime(pid: number): string | null {
  if (process.platform !== 'linux') return null;
  const stat = readStat(pid);
  return stat && stat.startTicks ? `${currentBootId()}:${stat.startTicks}` : null;
}

/** True while some process of group `pgid` runs. Zombies (exited, not yet reaped) do not count. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (process.platform !== 'linux') return true;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') return true;
  }
  return false;
}

/** May this recorded group be signalled now? `ours` when yes; otherwise why not. */
export function identifyGroup(group: RecordedGroup, here: string): 'ours' | Exclude<StopOutcome, 'stopped' | 'killed' | 'survived'> {
  if (group.host !== here) return 'elsewhere';
  if (!groupAlive(group.pgid)) return 'gone';
  if (group.startTime === null) return 'unverifiable';
  const leader = processStartTime(group.pgid);
  if (leader === null) return 'unverifiable';
  return leader === group.startTime ? 'ours' : 'reused';
}

/** SIGTERM, up to `graceMs` to end (polled), then SIGKILL: only for a group that is verifiably ours. */
export async function stopGroup(group: RecordedGroup, options: StopOptions): Promise<StopOutcome> {
  const verdict = identifyGroup(group, options.here);
  if (verdict !== 'ours') return verdict;
  signalGroup(group.pgid, 'SIGTERM');
  if (await vanished(group.pgid, options.graceMs ?? STOP_GRACE_MS)) return 'stopped';
  signalGroup(group.pgid, 'SIGKILL');
  return (await vanished(group.pgid, options.killWaitMs ?? STOP_GRACE_MS)) ? 'killed' : 'survived';
}

/** SIGKILLs groups this process started itself and still tracks (no identity check needed). */
export function killGroupsNow(pgids: Iterable<number>): void {
  for (const pgid of pgids) killTree(pgid, 'SIGKILL');
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // gone already
  }
}

async function vanished(pgid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (!groupAlive(pgid)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
