/**
 * Run ownership (ARCHITECTURE.md, "Leases"). Each Waymark process has an owner identity;
 * a running run records its owner's pid, host and a heartbeat. A run whose owner is gone is
 * interrupted, found by whichever Waymark process starts next.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Owner, OwnerProbe } from '../store/types';

export const HEARTBEAT_MS = 2_000;
/** A heartbeat older than this means the owner is gone even if its pid was reused. */
export const LEASE_STALE_MS = 30_000;

export function processOwner(): Owner {
  return { id: randomUUID(), pid: process.pid, host: hostname() };
}

/**
 * The store's liveness probe for an engine on host `here`. A pid is checked only for
 * owners on this host (or recorded before hosts were, when one machine was all there
 * was); an owner on another host counts as alive, so only its heartbeat expires it.
 */
export function ownerProbe(here: string): OwnerProbe {
  return (pid, host) => (host === null || host === here ? isProcessAlive(pid) : true);
}

/** True when a process with this pid exists (on this machine). */
export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
