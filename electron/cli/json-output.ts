/**
 * The `--json` documents of SPEC §6: its fields keep their names and meanings; the
 * extra fields it allows appear only when set (`waitingFor` on a waiting run, `waiting`
 * and `decision` on a phase, `reuse` on a resumed run), except `usage`, on the run and
 * every phase: tokens and `costUsd` (null when no step had a known price).
 */
import type { WaitingFor } from '../../shared/events';
import type { ApprovalDecision, PhaseRecord, PhaseWaiting, RunRecord } from '../../shared/records';
import type { ReuseSummary } from '../../shared/reuse';
import type { PhaseStatus, RunStatus } from '../../shared/status';
import { knownCost, type UsageTotals } from '../../shared/usage';

export interface RunJson {
  runId: string | null;
  status: RunStatus | null;
  error: string | null;
  phases: PhaseJson[];
  usage?: UsageJson;
  waitingFor?: WaitingFor;
  reuse?: ReuseJson;
}

/**
 * Tokens and USD. `costUsd` is null when no model step had a known price; with
 * `unpricedSteps` > 0 it counts only the priced steps (a lower bound).
 */
export interface UsageJson {
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  cachedInputTokens: number;
  reasoningTokens: number;
  unpricedSteps: number;
}

/** What resuming saved (reused phases' successful tries) and spent again (re-runs), shared/reuse.ts. */
export interface ReuseJson {
  reusedPhases: number;
  saved: UsageJson;
  rerunPhases: string[];
  spentAgain: UsageJson;
}

export interface PhaseJson {
  id: string;
  status: PhaseStatus;
  output: string | null;
  error: string | null;
  attempts: number;
  usage?: UsageJson;
  waiting?: Omit<PhaseWaiting, 'since'> & { since: string };
  decision?: Omit<ApprovalDecision, 'phaseId' | 'at'> & { at: string };
}

export interface RunListItemJson {
  runId: string;
  flow: string;
  status: RunStatus;
  startedAt: string;
  usage: UsageJson;
}

export function runJson(run: RunRecord, phases: readonly PhaseRecord[], reuse?: ReuseSummary | null): RunJson {
  return {
    runId: run.id,
    status: run.status,
    error: run.error?.message ?? null,
    phases: phases.map(phaseJson),
    usage: usageJson(run.usage),
    ...(run.waitingFor ? { waitingFor: run.waitingFor } : {}),
    ...(reuse ? { reuse: { reusedPhases: reuse.reusedPhases, saved: usageJson(reuse.saved), rerunPhases: reuse.rerunPhases, spentAgain: usageJson(reuse.spentAgain) } } : {}),
  };
}

export function usageJson(u: UsageTotals): UsageJson {
  return { inputTokens: u.inputTokens, outputTokens: u.outputTokens, costUsd: knownCost(u), cachedInputTokens: u.cachedInputTokens, reasoningTokens: u.reasoningTokens, unpricedSteps: u.unpricedSteps };
}

function phaseJson(p: PhaseRecord): PhaseJson {
  const json: PhaseJson = { id: p.phaseId, status: p.status, output: p.output, error: p.error?.message ?? null, attempts: p.attempts, usage: usageJson(p.usage) };
  if (p.waiting) json.waiting = { ...p.waiting, since: new Date(p.waiting.since).toISOString() };
  if (p.decision) {
    const { phaseId: _id, at, ...decision } = p.decision;
    json.decision = { ...decision, at: new Date(at).toISOString() };
  }
  return json;
}

/** The same shape when no run could be started or found. */
export function errorJson(message: string): RunJson {
  return { runId: null, status: null, error: message, phases: [] };
}

export function runListJson(runs: readonly RunRecord[]): RunListItemJson[] {
  return runs.map((r) => ({ runId: r.id, flow: r.flowName, status: r.status, startedAt: new Date(r.createdAt).toISOString(), usage: usageJson(r.usage) }));
}
