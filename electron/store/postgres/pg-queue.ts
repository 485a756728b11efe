/**
 * The queue of the PostgreSQL store (SPEC §7; types.ts, "The queue"), as sqlite-queue.ts
 * does it for SQLite. Each function runs inside a transaction its caller opened.
 *
 * Workers on any number of machines claim with `FOR UPDATE SKIP LOCKED`: the oldest
 * queued row no other claimer holds is locked and taken, so no run is handed out twice
 * and claimers never wait on each other's rows. `run.queued` is applied here, in the
 * transaction that logs it, and notifies watchers like every commit.
 */
import type { PersistedEvent, RunQueuedEvent } from '../../../shared/events';
import { isResumable } from '../../../shared/status';
import { encodeJson } from '../codec';
import { notResumable, runExists, runNotFound, runOwned, type QueueView } from '../rules';
import { toRun, type RunRow } from '../sqlite-rows';
import type { ClaimedRun, NewRun, Owner, QueuedResume, RunStart } from '../types';
import type { Sql } from './pg-pool';
import { fromBytes, toBytes, type LeaseRow } from './pg-rows';
import { exec, S, type Statement } from './pg-statements';

const stmt = (name: string, text: string): Statement => ({ name: `waymark_queue_${name}`, text });
/** What every way into the queue does to the run: no owner, not finished. */
const QUEUED = `status = 'queued', queued_at = $2, updated_at = $2, finished_at = NULL, owner_id = NULL, owner_pid = NULL, owner_host = NULL, heartbeat_at = NULL,
  waiting_for_json = NULL`;

const Q = {
  insertQueued: stmt('insert', `INSERT INTO runs (id, flow_name, flow_file, status, inputs_json, created_at, updated_at, attempt, last_seq, queued_at, queue_source)
    VALUES ($1, $2, $3, 'queued', $4, $5, $5, 0, 0, $5, $6) ON CONFLICT (id) DO NOTHING`),
  queue: stmt('queue', `UPDATE runs SET ${QUEUED}, queue_source = $3, queue_restart_phase = $4 WHERE id = $1`),
  requeue: stmt('requeue', `UPDATE runs SET ${QUEUED}, queue_restart_phase = NULL, requeue_count = $3 WHERE id = $1`),
  lockOldest: stmt('lock_oldest', `SELECT id, queue_source, queue_restart_phase FROM runs WHERE status = 'queued'
    ORDER BY queued_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`),
  claim: stmt('claim', `UPDATE runs SET status = 'running', owner_id = $3, owner_pid = $4, owner_host = $5, heartbeat_at = $2,
    claimed_by = $3, updated_at = $2 WHERE id = $1`),
  lastSource: stmt('last_source', `SELECT flow_source FROM run_attempts WHERE run_id = $1 ORDER BY attempt DESC LIMIT 1`),
  claimSeq: stmt('claim_seq', `UPDATE runs SET last_seq = last_seq + 1, updated_at = $2 WHERE id = $1 RETURNING last_seq, attempt, flow_name`),
} as const;

/** The queue columns a reaper reads with the lease (pg-statements.ts, LEASE). */
export type QueueLeaseRow = LeaseRow & { claimed_by: string | null; requeue_count: number };

export async function enqueueRun(sql: Sql, channel: string, init: NewRun, now: number): Promise<RunStart> {
  const inserted = await exec(sql, Q.insertQueued, [init.id, init.start.flowName, init.flowFile, encodeJson(init.inputs), now, toBytes(init.flowSource)]);
  if (inserted.rowCount !== 1) throw runExists(init.id);
  const events = [await appendQueued(sql, channel, init.id, undefined, now)];
  return { run: await mustGetRun(sql, init.id), events };
}

export async function enqueueResume(sql: Sql, channel: string, runId: string, resume: QueuedResume, now: number): Promise<RunStart> {
  const lease = (await exec<LeaseRow>(sql, S.lockForResume, [runId])).rows[0];
  if (!lease) throw runNotFound(runId);
  if (lease.status === 'running') throw runOwned(runId, lease.owner_pid);
  if (!isResumable(lease.status)) throw notResumable(runId, lease.status);
  await exec(sql, Q.queue, [runId, now, resume.flowSource === null ? null : toBytes(resume.flowSource), resume.restartPhase]);
  const events = [await appendQueued(sql, channel, runId, undefined, now)];
  return { run: await mustGetRun(sql, runId), events };
}

export async function claimQueued(sql: Sql, owner: Owner, now: number): Promise<ClaimedRun | undefined> {
  const next = (await exec<{ id: string; queue_source: Buffer | null; queue_restart_phase: string | null }>(sql, Q.lockOldest, [])).rows[0];
  if (!next) return undefined;
  await exec(sql, Q.claim, [next.id, now, owner.id, owner.pid, owner.host]);
  const last = (await exec<{ flow_source: Buffer }>(sql, Q.lastSource, [next.id])).rows[0];
  const source = next.queue_source ?? last?.flow_source ?? null;
  return { run: await mustGetRun(sql, next.id), flowSource: source === null ? null : fromBytes(source), restartPhase: next.queue_restart_phase };
}

/**
 * After the reaper interrupted the run (same transaction): queues it again as a resume,
 * its `requeues`-th time. It runs the definition it was queued with and never restarts
 * a phase, so nothing completed runs twice.
 */
export async function requeueReaped(sql: Sql, channel: string, runId: string, requeues: number, now: number): Promise<PersistedEvent[]> {
  await exec(sql, Q.requeue, [runId, now, requeues]);
  return [await appendQueued(sql, channel, runId, requeues, now)];
}

export const queueViewOf = (row: LeaseRow): QueueView => {
  const queue = row as QueueLeaseRow;
  return { ownerId: row.owner_id, claimedBy: queue.claimed_by, requeues: queue.requeue_count };
};

async function appendQueued(sql: Sql, channel: string, runId: string, requeues: number | undefined, now: number): Promise<PersistedEvent> {
  const claimed = (await exec<{ last_seq: number; attempt: number; flow_name: string }>(sql, Q.claimSeq, [runId, now])).rows[0];
  const { last_seq: seq, attempt, flow_name: flowName } = claimed as { last_seq: number; attempt: number; flow_name: string };
  const fact: RunQueuedEvent = { type: 'run.queued', attempt, flowName, ...(requeues !== undefined ? { requeues } : {}) };
  await exec(sql, S.insertEvents, [runId, [seq], [fact.type], [JSON.stringify(fact)], now]);
  await exec(sql, S.notify, [channel, runId]);
  return { ...fact, runId, seq, at: now };
}

async function mustGetRun(sql: Sql, runId: string) {
  return toRun((await exec<RunRow>(sql, S.getRun, [runId])).rows[0] as RunRow);
}
