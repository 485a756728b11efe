/**
 * Reaping at start (ARCHITECTURE.md, "Leases") for a process that only reads: the same
 * rules as `Engine.reapOrphans`, without loading the engine (flow loader, scheduler,
 * phase kinds), so `waymark runs` and `waymark show` start as fast as their reads allow.
 * Runs whose owner is gone become `interrupted`; the process groups such runs left on
 * this host are then stopped in the background (SIGTERM, SIGKILL after 2 s).
 */
import type { PersistedEvent } from '../../shared/events';
import type { CheckpointStore } from '../store/types';
import { LEASE_STALE_MS, ownerProbe } from './lease';
import { PhaseProcesses } from './phase-processes';
import type { StopOutcome } from './process-groups';

export interface Reaped {
  events: PersistedEvent[];
  /** Settles once the stray groups are stopped (or the store could not list them); never rejects. */
  strays: Promise<StopOutcome[]>;
}

export async function reapAtStart(store: CheckpointStore, host: string, now: () => number = Date.now): Promise<Reaped> {
  const events = await store.reapOrphans(ownerProbe(host), now(), LEASE_STALE_MS);
  return { events, strays: new PhaseProcesses(store, host, now).stopStrays() };
}
