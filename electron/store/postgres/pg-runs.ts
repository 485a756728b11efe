/**
 * The lease-taking transactions of the PostgreSQL store: creating a run, resuming it,
 * committing to it and reaping it. Each function runs inside a transaction its caller
 * opened; rules.ts decides, exactly as it does for the SQLite store.
 */
import type { PersistedEvent, PlannedPhase, RunFact, RunStartedEvent } from '../../../shared/events';
import type { RunRecord } from '../../../shared/records';
import { isResumable } from '../../../shared/status';
import { encodeBudget, encodeJson } from '../codec';
import { leaseLost, notResumable, ownerGone, requeueVerdict, runExists, runNotFound, runOwned, startExtras as extrasOf } from '../rules';
import { toRun, type RunRow } from '../sqlite-rows';
import type { NewAttempt, NewRun, Owner, OwnerProbe, RunStart } from '../types';
import { appendFacts, reapRun } from './pg-facts';
import type { Sql } from './pg-pool';
import { queueViewOf, requeueReaped } from './pg-queue';
import { leaseOf, outputText, sameLease, toBytes, type LeaseRow } from './pg-rows';
import { exec, S } from './pg-statements';
import { rerunOutputs, rerunReuse } from '../rerun-rules';

export async function createRun(sql: Sql, channel: string, init: NewRun, owner: Owner, now: number): Promise<RunStart> {
  const origin = [init.rerunOf?.runId ?? null, init.rerunOf?.phase ?? null];
  const inserted = await exec(sql, S.insertRun, [init.id, init.start.flowName, init.flowFile, encodeJson(init.inputs), now, owner.id, owner.pid, owner.host, ...origin]);
  if (inserted.rowCount !== 1) throw runExists(init.id);
  await exec(sql, S.insertAttempt, [init.id, 1, toBytes(init.flowSource), now, owner.pid, null, encodeBudget(init.start.budget)]);
  await plan(sql, init.id, init.start.phases, new Set(init.start.reused));
  const outputs = await copyReused(sql, init);
  const events = await appendFacts(sql, channel, init.id, [{ type: 'run.started', attempt: 1, resumed: false, ...init.start, ...outputs }], now);
  return { run: await mustGetRun(sql, init.id), events };
}

/** A rerun's reused phases: the results of the run it came from, copied into it (rerun-rules.ts). */
async function copyReused(sql: Sql, init: NewRun): Promise<Pick<RunStartedEvent, 'outputs'>> {
  const reused = rerunReuse(init);
  if (!reused || !init.rerunOf) return {};
  await exec(sql, S.copyResults, [init.id, init.rerunOf.runId, reused]);
  const copied = (await exec<{ phase_id: string; output: Buffer }>(sql, S.reusedOutputs, [init.id, reused])).rows.flatMap((r) => {
    const text = outputText(r.output);
    return text === null ? [] : [[r.phase_id, text] as const];
  });
  return rerunOutputs(init, new Map(copied));
}

/**
 * Resumes under `FOR UPDATE`: of two processes racing, the second sees the first's lease.
 * A run `owner` claimed from the queue starts its first attempt or its next one.
 */
export async function beginAttempt(sql: Sql, channel: string, runId: string, init: NewAttempt, owner: Owner, now: number, isAlive: OwnerProbe): Promise<RunStart> {
  let lease = (await exec<LeaseRow>(sql, S.lockForResume, [runId])).rows[0];
  if (!lease) throw runNotFound(runId);
  const events: PersistedEvent[] = [];
  const claimed = lease.status === 'running' && lease.owner_id === owner.id;
  if (lease.status === 'running' && !claimed) {
    if (!ownerGone(leaseOf(lease), isAlive, now, Number.POSITIVE_INFINITY)) throw runOwned(runId, lease.owner_pid);
    events.push(...(await reapRun(sql, channel, lease, now)));
    lease = (await exec<LeaseRow>(sql, S.lockForResume, [runId])).rows[0] as LeaseRow;
  }
  if (!claimed && !isResumable(lease.status)) throw notResumable(runId, lease.status);
  const attempt = lease.attempt + 1;
  await exec(sql, S.startAttempt, [runId, attempt, now, owner.id, owner.pid, owner.host, init.start.flowName, init.flowFile]);
  await exec(sql, S.insertAttempt, [runId, attempt, toBytes(init.flowSource), now, owner.pid, init.restartPhase, encodeBudget(init.start.budget)]);
  const extras = await startExtras(sql, runId, init.start);
  await exec(sql, S.deleteUnplanned, [runId, init.start.phases.map((p) => p.id)]);
  await plan(sql, runId, init.start.phases, new Set(init.start.reused));
  events.push(...(await appendFacts(sql, channel, runId, [{ type: 'run.started', attempt, resumed: attempt > 1, ...init.start, ...extras }], now)));
  return { run: await mustGetRun(sql, runId), events };
}

/** Locks the run row, checks the lease, applies the facts. */
export async function commitFacts(sql: Sql, channel: string, runId: string, owner: Owner, facts: RunFact[], now: number): Promise<PersistedEvent[]> {
  const row = (await exec<{ status: string; owner_id: string | null }>(sql, S.lockForCommit, [runId])).rows[0];
  if (!row) throw runNotFound(runId);
  if (row.status !== 'running' || row.owner_id !== owner.id) throw leaseLost(runId);
  return appendFacts(sql, channel, runId, facts, now);
}

/**
 * Reaps the runs judged gone (by their lease as first read), skipping rows another
 * process holds and any whose lease changed since (a heartbeat, a new owner): a run is
 * reaped once, by one reaper, and only on the evidence that condemned it. A worker's run
 * is re-queued (rules.ts, requeueVerdict) in the same transaction.
 */
export async function reapJudged(sql: Sql, channel: string, judged: ReadonlyMap<string, LeaseRow>, now: number): Promise<PersistedEvent[]> {
  const events: PersistedEvent[] = [];
  for (const row of (await exec<LeaseRow>(sql, S.lockRunning, [[...judged.keys()]])).rows) {
    const seen = judged.get(row.id);
    if (!seen || !sameLease(seen, row)) continue;
    const verdict = requeueVerdict(queueViewOf(row));
    events.push(...(await reapRun(sql, channel, row, now, verdict.requeue ? undefined : verdict.note)));
    if (verdict.requeue) events.push(...(await requeueReaped(sql, channel, row.id, verdict.requeues, now)));
  }
  return events;
}

/**
 * What the store adds to a new attempt's `run.started` (shared/events.ts): the saved
 * outputs of the reused phases, and the tries of planned phases back in the plan.
 * Reads the plan as it was: call before re-planning.
 */
async function startExtras(sql: Sql, runId: string, start: NewAttempt['start']): Promise<Pick<RunStartedEvent, 'outputs' | 'triesBefore'>> {
  const saved = (await exec<{ phase_id: string; output: Buffer }>(sql, S.reusedOutputs, [runId, start.reused])).rows;
  const outputs = saved.flatMap((r) => {
    const text = outputText(r.output);
    return text === null ? [] : [[r.phase_id, text] as const];
  });
  const back = new Map((await exec<{ phase_id: string; tries: number }>(sql, S.unplannedTries, [runId])).rows.map((r) => [r.phase_id, r.tries]));
  return extrasOf(outputs, back, start.phases);
}

/** Plans the phases in the given order; reused ones are succeeded, the others pending. */
async function plan(sql: Sql, runId: string, phases: PlannedPhase[], reused: ReadonlySet<string>): Promise<void> {
  if (phases.length === 0) return;
  const column = <T>(pick: (p: PlannedPhase) => T) => phases.map(pick);
  await exec(sql, S.upsertPhases, [
    runId,
    column((p) => p.id),
    column((p) => p.kind),
    column((p) => encodeJson(p.dependsOn)),
    column((p) => p.defHash),
    column((p) => (reused.has(p.id) ? 'succeeded' : 'pending')),
  ]);
}

async function mustGetRun(sql: Sql, runId: string): Promise<RunRecord> {
  return toRun((await exec<RunRow>(sql, S.getRun, [runId])).rows[0] as RunRow);
}
