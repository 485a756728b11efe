/**
 * How facts change the SQLite tables (ARCHITECTURE.md, "Facts, events and seq"), on the
 * writer's connection, inside a transaction the caller holds: `append` applies facts and
 * adds them to the run's event log with consecutive `seq`s; a fact that contradicts the
 * saved run throws, and the caller rolls back everything the request wrote.
 */
import { emittedEvent, slimEvent, type PersistedEvent, type RunFact, type RunStartedEvent, type Usage } from '../../shared/events';
import { encodeJson, sha256, tail } from './codec';
import { waitingOf, withoutApproval } from './waiting-columns';
import { saveLog } from './sqlite-logs';
import { invalidFact, reapFacts, refusal, shapeProblem, startExtras } from './rules';
import type { RunRow } from './sqlite-rows';
import type { Statements } from './sqlite-statements';
import type { NewAttempt } from './types';

export class SqliteFacts {
  constructor(private readonly q: Statements) {}

  /** Applies facts and appends them to the event log; must run inside a transaction. No facts, no write. */
  append(runId: string, facts: RunFact[], now: number): PersistedEvent[] {
    if (facts.length === 0) return [];
    const { last_seq: last, attempt } = this.q.claimSeq.get(facts.length, now, runId) as { last_seq: number; attempt: number };
    let seq = last - facts.length;
    return facts.map((fact) => {
      seq += 1;
      this.apply(runId, attempt, fact, now);
      const slim = slimEvent(fact);
      this.q.insertEvent.run(runId, seq, fact.type, JSON.stringify(slim), now);
      return { ...emittedEvent(fact), runId, seq, at: now };
    });
  }

  /** Interrupts a run whose owner is gone, with its running phases; `note` adds to its error (rules.ts). */
  reapRun(row: RunRow, now: number, note?: string): PersistedEvent[] {
    const running = (this.q.runningPhases.all(row.id) as { phase_id: string; attempts: number; started_at: number | null }[]).map((p) => ({ phaseId: p.phase_id, attempt: p.attempts, startedAt: p.started_at }));
    return this.append(row.id, reapFacts(row.attempt, running, { ownerPid: row.owner_pid, heartbeatAt: row.heartbeat_at, lastCommitAt: row.updated_at, attemptStartedAt: row.attempt_started_at }, now, note), now);
  }

  /**
   * What the store adds to a new attempt's `run.started` (shared/events.ts): the saved
   * outputs of the reused phases, and the tries of planned phases back in the plan.
   * Reads the plan as it was: call before re-planning.
   */
  startExtras(runId: string, start: NewAttempt['start']): Pick<RunStartedEvent, 'outputs' | 'triesBefore'> {
    const reused = new Set(start.reused);
    const saved = (this.q.results.all(runId) as ResultRow[]).filter((r) => reused.has(r.phase_id) && typeof r.output === 'string');
    const before = new Set((this.q.phaseIds.all(runId) as { phase_id: string }[]).map((p) => p.phase_id));
    const tries = (this.q.triesOf.all(runId) as { phase_id: string; tries: number }[]).filter((t) => !before.has(t.phase_id));
    return startExtras(saved.map((r) => [r.phase_id, r.output as string] as const), new Map(tries.map((t) => [t.phase_id, t.tries])), start.phases);
  }

  /** Applies one fact; throws (the caller rolls back the whole request) when it contradicts the saved run. */
  private apply(runId: string, attempt: number, fact: RunFact, now: number): void {
    const q = this.q;
    const problem = shapeProblem(fact);
    if (problem) throw invalidFact(runId, problem);
    switch (fact.type) {
      case 'run.started':
        return;
      case 'phase.started': {
        const { phaseId } = fact;
        if (q.phaseStarted.run({ runId, phaseId, attempts: fact.attempt, now }).changes !== 1) throw invalidFact(runId, refusal.unknownPhase(phaseId));
        const inserted = q.insertPhaseAttempt.run({ runId, phaseId, attempt: fact.attempt, runAttempt: fact.runAttempt, defHash: fact.defHash, now });
        if (inserted.changes !== 1) throw invalidFact(runId, refusal.startedTwice(phaseId, fact.attempt));
        return;
      }
      case 'phase.finished': {
        const { phaseId } = fact;
        const error = fact.error ? encodeJson(fact.error) : null;
        const exitCode = fact.exitCode ?? null;
        const status = fact.retryInMs !== undefined ? 'running' : fact.status;
        const endedAt = fact.endedAt ?? now;
        if (q.phaseFinished.run({ runId, phaseId, status, endedAt, error, exitCode }).changes !== 1) throw invalidFact(runId, refusal.unknownPhase(phaseId));
        if (fact.attempt > 0) {
          q.endPhaseAttempt.run({ runId, phaseId, attempt: fact.attempt, status: fact.status, endedAt, error, exitCode, stdoutTail: tail(fact.stdoutTail), stderrTail: tail(fact.stderrTail) });
        }
        if (fact.status === 'succeeded') {
          const output = fact.output ?? '';
          q.supersedeResult.run({ runId, phaseId, attempt: fact.attempt });
          const saved = q.saveResult.run({ runId, phaseId, attempt: fact.attempt, output, sha: sha256(output), now });
          if (saved.changes !== 1) throw invalidFact(runId, refusal.notStarted(phaseId, fact.attempt));
        }
        saveLog(q.logs, runId, fact);
        return;
      }
      case 'phase.waiting': {
        const { phaseId } = fact;
        const waiting = encodeJson(waitingOf(fact, now));
        if (q.phaseWaiting.run({ runId, phaseId, waiting }).changes !== 1) throw invalidFact(runId, refusal.unknownPhase(phaseId));
        return;
      }
      case 'approval.decided': {
        const { phaseId, attempt: tried, decision, by, comment } = fact;
        if (q.phaseDecided.run({ runId, phaseId, decision: encodeJson({ phaseId, attempt: tried, decision, by, comment, at: now }) }).changes !== 1) throw invalidFact(runId, refusal.unknownPhase(phaseId));
        if (q.insertApproval.run({ runId, phaseId, attempt: tried, decision, by, comment, now }).changes !== 1) {
          throw invalidFact(runId, q.tryExists.get(runId, phaseId, tried) ? refusal.decidedTwice(phaseId, tried) : refusal.notStarted(phaseId, tried));
        }
        const row = q.waitingFor.get(runId) as { waiting_for_json: string | null };
        const waitingFor = withoutApproval(row.waiting_for_json, phaseId);
        if (waitingFor !== undefined) q.setWaitingFor.run(waitingFor, runId);
        return;
      }
      case 'transcript.appended': {
        const { phaseId } = fact;
        const usage = fact.usage ?? null;
        const step = stepColumns(usage);
        const row = { runId, phaseId, idx: fact.index, role: fact.role, content: encodeJson(fact.content), ...step, now };
        if (q.insertTranscript.run(row).changes !== 1) {
          throw invalidFact(runId, q.phaseExists.get(runId, phaseId) ? refusal.indexTaken(phaseId, fact.index) : refusal.unknownPhase(phaseId));
        }
        if (usage) {
          const tokens = { runId, phaseId, attempt, ...step, cachedTok: step.cachedTok ?? 0, reasoningTok: step.reasoningTok ?? 0 };
          q.addUsagePhaseAttempt.run(tokens);
          q.addUsagePhase.run(tokens);
          q.addUsageAttempt.run(tokens);
          q.addUsageRun.run(tokens);
        }
        return;
      }
      case 'run.finished': {
        const error = fact.error ? encodeJson(fact.error) : null;
        const endedAt = fact.endedAt ?? now;
        q.finishRun.run({ runId, status: fact.status, error, now, endedAt, waitingFor: fact.waitingFor ? encodeJson(fact.waitingFor) : null });
        q.finishAttempt.run({ runId, attempt: fact.attempt, status: fact.status, error, endedAt });
        q.interruptPhaseAttempts.run({ runId, endedAt });
        q.interruptPhases.run({ runId, endedAt, status: fact.status });
        return;
      }
    }
  }
}

/** A step's usage as transcript columns (NULL where the provider did not report a detail; cost NULL: no price). */
function stepColumns(usage: Usage | null) {
  return {
    inTok: usage?.inputTokens ?? null,
    outTok: usage?.outputTokens ?? null,
    cachedTok: usage?.cachedInputTokens ?? null,
    cacheWriteTok: usage?.cacheWriteTokens ?? null,
    reasoningTok: usage?.reasoningTokens ?? null,
    cost: typeof usage?.costUsd === 'number' ? usage.costUsd : null,
  };
}

interface ResultRow {
  phase_id: string;
  output: unknown;
}
