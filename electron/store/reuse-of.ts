/**
 * What resuming `run` saved and spent again (shared/reuse.ts), read from its event log.
 * A run of one attempt was never resumed: nothing is read for it.
 */
import type { RunRecord } from '../../shared/records';
import { reuseSummary, type ReuseSummary } from '../../shared/reuse';
import type { CheckpointStore } from './types';

export async function reuseOf(store: Pick<CheckpointStore, 'eventsSince'>, run: Pick<RunRecord, 'id' | 'attempt'>): Promise<ReuseSummary | null> {
  if (run.attempt < 2) return null;
  return reuseSummary(await store.eventsSince(run.id, 0, Number.MAX_SAFE_INTEGER));
}
