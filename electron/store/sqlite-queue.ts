/**
 * The queue of the SQLite store (SPEC §7; types.ts, "The queue"): submitting runs for
 * workers, claiming them, re-queueing a dead worker's run. Each exported function takes
 * the better-sqlite3 connection that writes; the first three run one `BEGIN IMMEDIATE`
 * transaction each, so of two processes claiming at once the second waits for the first
 * and then sees its claim. `requeueReaped` runs inside the reaper's transaction.
 *
 * The queue's own fact, `run.queued`, is applied here, in the same transaction that logs it.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { PersistedEvent, RunQueuedEvent } from '../../shared/events';
import { isResumable } from '../../shared/status';
import { encodeJson } from './codec';
import { notResumable, runExists, runNotFound, runOwned, type QueueView } from './rules';
import { toRun, type RunRow } from './sqlite-rows';
import type { ClaimedRun, NewRun, Owner, QueuedResume, RunStart } from './types';

/** The queue columns of `runs` (migration 003), beside the ones RunRow names. */
export interface QueueColumns {
  claimed_by: string | null;
  requeue_count: number;
}

export function enqueueRun(db: Database, init: NewRun, now: number): RunStart {
  const q = statements(db);
  return db.transaction(() => {
    if (q.getRun.get(init.id)) throw runExists(init.id);
    q.insertQueued.run({ id: init.id, flowName: init.start.flowName, flowFile: init.flowFile, inputs: encodeJson(init.inputs), now, source: init.flowSource });
    const events = [appendQueued(q, init.id, undefined, now)];
    return { run: toRun(q.getRun.get(init.id) as RunRow), events };
  }).immediate();
}

export function enqueueResume(db: Database, runId: string, resume: QueuedResume, now: number): RunStart {
  const q = statements(db);
  return db.transaction(() => {
    const row = q.getRun.get(runId) as RunRow | undefined;
    if (!row) throw runNotFound(runId);
    if (row.status === 'running') throw runOwned(runId, row.owner_pid);
    if (!isResumable(row.status)) throw notResumable(runId, row.status);
    q.queue.run({ id: runId, now, source: resume.flowSource, restartPhase: resume.restartPhase });
    const events = [appendQueued(q, runId, undefined, now)];
    return { run: toRun(q.getRun.get(runId) as RunRow), events };
  }).immediate();
}

export function claimQueued(db: Database, owner: Owner, now: number): ClaimedRun | undefined {
  const q = statements(db);
  return db.transaction(() => {
    const next = q.oldestQueued.get() as { id: string; queue_source: string | null; queue_restart_phase: string | null } | undefined;
    if (!next) return undefined;
    q.claim.run({ id: next.id, now, ownerId: owner.id, ownerPid: owner.pid, ownerHost: owner.host });
    const last = q.lastSource.get(next.id) as { flow_source: string } | undefined;
    return { run: toRun(q.getRun.get(next.id) as RunRow), flowSource: next.queue_source ?? last?.flow_source ?? null, restartPhase: next.queue_restart_phase };
  }).immediate();
}

/**
 * Inside the reaper's transaction, after it interrupted `runId`: queues the run again
 * as a resume, its `requeues`-th time. It runs the definition it was queued with and
 * never restarts a phase, so nothing completed runs twice.
 */
export function requeueReaped(db: Database, runId: string, requeues: number, now: number): PersistedEvent[] {
  const q = statements(db);
  q.requeue.run({ id: runId, now, requeues });
  return [appendQueued(q, runId, requeues, now)];
}

/** The reaper's view of a run row (read with SELECT *, before the reap cleared its owner). */
export function queueViewOf(row: RunRow): QueueView {
  const queue = row as RunRow & QueueColumns;
  return { ownerId: row.owner_id, claimedBy: queue.claimed_by, requeues: queue.requeue_count };
}

/** Logs the `run.queued` fact of a run whose row was just queued. */
function appendQueued(q: QueueStatements, runId: string, requeues: number | undefined, now: number): PersistedEvent {
  const { last_seq: seq, attempt, flow_name: flowName } = q.claimSeq.get(now, runId) as { last_seq: number; attempt: number; flow_name: string };
  const fact: RunQueuedEvent = { type: 'run.queued', attempt, flowName, ...(requeues !== undefined ? { requeues } : {}) };
  q.insertEvent.run(runId, seq, fact.type, JSON.stringify(fact), now);
  return { ...fact, runId, seq, at: now };
}

type QueueStatements = ReturnType<typeof prepare>;
const prepared = new WeakMap<Database, QueueStatements>();

/** Prepared once per connection (STYLE rule 11). */
function statements(db: Database): QueueStatements {
  let q = prepared.get(db);
  if (!q) {
    q = prepare(db);
    prepared.set(db, q);
  }
  return q;
}

function prepare(db: Database) {
  const p = (sql: string): Statement => db.prepare(sql);
  // What every way into the queue does to the run: no owner, not finished.
  const queued = `status = 'queued', queued_at = @now, updated_at = @now, finished_at = NULL, owner_id = NULL, owner_pid = NULL, owner_host = NULL, heartbeat_at = NULL,
    waiting_for_json = NULL`;
  return {
    getRun: p(`SELECT * FROM runs WHERE id = ?`),
    insertQueued: p(`INSERT INTO runs (id, flow_name, flow_file, status, inputs_json, created_at, updated_at, attempt, last_seq, queued_at, queue_source)
                     VALUES (@id, @flowName, @flowFile, 'queued', @inputs, @now, @now, 0, 0, @now, @source)`),
    queue: p(`UPDATE runs SET ${queued}, queue_source = @source, queue_restart_phase = @restartPhase WHERE id = @id`),
    requeue: p(`UPDATE runs SET ${queued}, queue_restart_phase = NULL, requeue_count = @requeues WHERE id = @id`),
    oldestQueued: p(`SELECT id, queue_source, queue_restart_phase FROM runs WHERE status = 'queued' ORDER BY queued_at, id LIMIT 1`),
    claim: p(`UPDATE runs SET status = 'running', owner_id = @ownerId, owner_pid = @ownerPid, owner_host = @ownerHost, heartbeat_at = @now,
                claimed_by = @ownerId, updated_at = @now WHERE id = @id AND status = 'queued'`),
    lastSource: p(`SELECT flow_source FROM run_attempts WHERE run_id = ? ORDER BY attempt DESC LIMIT 1`),
    claimSeq: p(`UPDATE runs SET last_seq = last_seq + 1, updated_at = ? WHERE id = ? RETURNING last_seq, attempt, flow_name`),
    insertEvent: p(`INSERT INTO events (run_id, seq, type, payload_json, at) VALUES (?, ?, ?, ?, ?)`),
  };
}
