/**
 * Applying facts inside a transaction: the PostgreSQL twin of the SQLite store's
 * `append`/`apply`. Facts are applied in order and each one that contradicts the saved
 * run throws (rules.ts wording), rolling back the whole batch; then the events are
 * appended with consecutive per-run seqs and watchers are notified, which PostgreSQL
 * delivers only if the transaction commits.
 */
import { emittedEvent, slimEvent, type PersistedEvent, type RunFact } from '../../../shared/events';
import { encodeJson, sha256, tail } from '../codec';
import { waitingOf, withoutApproval } from '../waiting-columns';
import { invalidFact, reapFacts, refusal, shapeProblem } from '../rules';
import { saveLog } from './pg-logs';
import type { Sql } from './pg-pool';
import { toBytes, type LeaseRow } from './pg-rows';
import { exec, S } from './pg-statements';

/** Applies facts and appends them to the run's event log; must run inside a transaction. No facts, no write. */
export async function appendFacts(sql: Sql, channel: string, runId: string, facts: RunFact[], now: number): Promise<PersistedEvent[]> {
  if (facts.length === 0) return [];
  const claimed = await exec<{ last_seq: number; attempt: number }>(sql, S.claimSeq, [runId, facts.length, now]);
  const { last_seq: last, attempt } = claimed.rows[0] as { last_seq: number; attempt: number };
  const first = last - facts.length + 1;
  for (const fact of facts) await applyFact(sql, runId, attempt, fact, now);
  const seqs = facts.map((_, i) => first + i);
  await exec(sql, S.insertEvents, [runId, seqs, facts.map((f) => f.type), facts.map((f) => JSON.stringify(slimEvent(f))), now]);
  await exec(sql, S.notify, [channel, runId]);
  return facts.map((fact, i) => ({ ...emittedEvent(fact), runId, seq: first + i, at: now }));
}

/** Records that a run's owner died: its running phases and the run become interrupted (`note`: see reapFacts). */
export async function reapRun(sql: Sql, channel: string, lease: LeaseRow, now: number, note?: string): Promise<PersistedEvent[]> {
  const phases = await exec<{ phase_id: string; attempts: number; started_at: number | null }>(sql, S.runningPhases, [lease.id]);
  const running = phases.rows.map((p) => ({ phaseId: p.phase_id, attempt: p.attempts, startedAt: p.started_at }));
  const owner = { ownerPid: lease.owner_pid, heartbeatAt: lease.heartbeat_at, lastCommitAt: lease.updated_at, attemptStartedAt: lease.attempt_started_at };
  return appendFacts(sql, channel, lease.id, reapFacts(lease.attempt, running, owner, now, note), now);
}

async function applyFact(sql: Sql, runId: string, attempt: number, fact: RunFact, now: number): Promise<void> {
  const problem = shapeProblem(fact);
  if (problem) throw invalidFact(runId, problem);
  switch (fact.type) {
    case 'run.started':
      return;
    case 'phase.started': {
      const { phaseId } = fact;
      if ((await exec(sql, S.phaseStarted, [runId, phaseId, fact.attempt, now])).rowCount !== 1) throw invalidFact(runId, refusal.unknownPhase(phaseId));
      const inserted = await exec(sql, S.insertPhaseAttempt, [runId, phaseId, fact.attempt, fact.runAttempt, fact.defHash, now]);
      if (inserted.rowCount !== 1) throw invalidFact(runId, refusal.startedTwice(phaseId, fact.attempt));
      return;
    }
    case 'phase.finished': {
      const { phaseId } = fact;
      const error = fact.error ? encodeJson(fact.error) : null;
      const exitCode = fact.exitCode ?? null;
      const status = fact.retryInMs !== undefined ? 'running' : fact.status;
      const endedAt = fact.endedAt ?? now;
      if ((await exec(sql, S.phaseFinished, [runId, phaseId, status, endedAt, error, exitCode])).rowCount !== 1) throw invalidFact(runId, refusal.unknownPhase(phaseId));
      if (fact.attempt > 0) {
        const [stdout, stderr] = [tail(fact.stdoutTail), tail(fact.stderrTail)].map((t) => (t === null ? null : toBytes(t)));
        await exec(sql, S.endPhaseAttempt, [runId, phaseId, fact.attempt, fact.status, endedAt, error, exitCode, stdout, stderr]);
      }
      if (fact.status === 'succeeded') {
        const output = fact.output ?? '';
        await exec(sql, S.supersedeResult, [runId, phaseId, fact.attempt]);
        const saved = await exec(sql, S.saveResult, [runId, phaseId, fact.attempt, toBytes(output), sha256(output), now]);
        if (saved.rowCount !== 1) throw invalidFact(runId, refusal.notStarted(phaseId, fact.attempt));
      }
      await saveLog(sql, runId, fact);
      return;
    }
    case 'phase.waiting': {
      const { phaseId } = fact;
      if ((await exec(sql, S.phaseWaiting, [runId, phaseId, encodeJson(waitingOf(fact, now))])).rowCount !== 1) throw invalidFact(runId, refusal.unknownPhase(phaseId));
      return;
    }
    case 'approval.decided': {
      const { phaseId, attempt: tried, decision, by, comment } = fact;
      const latest = encodeJson({ phaseId, attempt: tried, decision, by, comment, at: now });
      if ((await exec(sql, S.phaseDecided, [runId, phaseId, latest])).rowCount !== 1) throw invalidFact(runId, refusal.unknownPhase(phaseId));
      if ((await exec(sql, S.insertApproval, [runId, phaseId, tried, decision, by, toBytes(comment), now])).rowCount !== 1) {
        const started = (await exec(sql, S.tryExists, [runId, phaseId, tried])).rowCount === 1;
        throw invalidFact(runId, started ? refusal.decidedTwice(phaseId, tried) : refusal.notStarted(phaseId, tried));
      }
      const row = (await exec<{ waiting_for_json: string | null }>(sql, S.waitingFor, [runId])).rows[0];
      const waitingFor = withoutApproval(row?.waiting_for_json ?? null, phaseId);
      if (waitingFor !== undefined) await exec(sql, S.setWaitingFor, [runId, waitingFor]);
      return;
    }
    case 'transcript.appended': {
      const { phaseId } = fact;
      const usage = fact.usage ?? null;
      const cost = typeof usage?.costUsd === 'number' ? usage.costUsd : null;
      const details = [usage?.cachedInputTokens ?? null, usage?.cacheWriteTokens ?? null, usage?.reasoningTokens ?? null, cost];
      const values = [runId, phaseId, fact.index, fact.role, encodeJson(fact.content), usage?.inputTokens ?? null, usage?.outputTokens ?? null, now, ...details];
      if ((await exec(sql, S.insertTranscript, values)).rowCount !== 1) {
        const known = (await exec(sql, S.phaseExists, [runId, phaseId])).rowCount === 1;
        throw invalidFact(runId, known ? refusal.indexTaken(phaseId, fact.index) : refusal.unknownPhase(phaseId));
      }
      if (usage) await exec(sql, S.addUsage, [runId, phaseId, attempt, usage.inputTokens, usage.outputTokens, usage.cachedInputTokens ?? 0, usage.reasoningTokens ?? 0, cost]);
      return;
    }
    case 'run.finished': {
      const error = fact.error ? encodeJson(fact.error) : null;
      await exec(sql, S.finishRun, [runId, fact.status, error, now, fact.attempt, fact.waitingFor ? encodeJson(fact.waitingFor) : null, fact.endedAt ?? now]);
      return;
    }
  }
}
