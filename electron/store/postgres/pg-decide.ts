/**
 * `decide` and `cancelIdle` on PostgreSQL (decide-rules.ts, cancel-rules.ts): the run row
 * is locked `FOR UPDATE`, so a decision, a cancel, a resume and a commit of the same run
 * never interleave, and of two decisions racing on any machines the second sees the
 * first's and is refused.
 */
import type { PersistedEvent } from '../../../shared/events';
import { idleCancelFacts } from '../cancel-rules';
import { decidePhaseOf, decisionFacts, type DecidePhaseRow } from '../decide-rules';
import type { DecisionRequest } from '../types';
import { appendFacts } from './pg-facts';
import type { Sql } from './pg-pool';
import type { RunStatus } from '../../../shared/status';
import { exec, S } from './pg-statements';

interface DecideRunRow {
  id: string;
  status: RunStatus;
  attempt: number;
  owner_pid: number | null;
  owner_host: string | null;
}

export async function decide(sql: Sql, channel: string, runId: string, request: DecisionRequest, now: number): Promise<PersistedEvent[]> {
  const row = (await exec<DecideRunRow>(sql, S.lockForDecide, [runId])).rows[0];
  const run = row && { id: row.id, status: row.status, attempt: row.attempt, ownerPid: row.owner_pid, ownerHost: row.owner_host };
  const ids = (await exec<{ phase_id: string }>(sql, S.plannedIds, [runId])).rows.map((r) => r.phase_id);
  const phaseRow = (await exec<DecidePhaseRow>(sql, S.decidePhase, [runId, request.phaseId])).rows[0];
  return appendFacts(sql, channel, runId, decisionFacts(runId, run, ids, phaseRow && decidePhaseOf(phaseRow), request, now), now);
}

export async function cancelIdle(sql: Sql, channel: string, runId: string, now: number): Promise<PersistedEvent[]> {
  const row = (await exec<DecideRunRow>(sql, S.lockForDecide, [runId])).rows[0];
  const facts = idleCancelFacts(runId, row && { status: row.status, attempt: row.attempt, ownerPid: row.owner_pid });
  return facts.length > 0 ? appendFacts(sql, channel, runId, facts, now) : [];
}
