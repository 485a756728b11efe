/**
 * The `--json` documents of SPEC §6: its fields keep their names and meanings; the
 * extra fields it allows appear only when set (`waitingFor` on a waiting run, `waiting`
 * and `decision` on a phase, `reuse` on a resumed run, `rerunOf` on a rerun), except
 * `usage`, on the run and every phase: tokens and `costUsd` (null when no step had a
 * known price); `durationMs` (the attempts' active time) and `wallMs` on the run; and
 * `tries` on every phase when the caller read them (every try, oldest first).
 */
import type { WaitingFor } from '../../shared/events';
import type { ApprovalDecision, PhaseRecord, PhaseWaiting, RerunOrigin, RunRecord, TryRecord } from '../../shared/records';
import { runActiveMs, runWallMs } from '../../shared/run-time';
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
  /** The sum of the run's attempts' active time (shared/run-time.ts), and creation to end. */
  durationMs?: number;
  wallMs?: number;
  /** A rerun: the run and phase it came from. */
  rerunOf?: RerunOrigin;
}

/** One try of a phase (SPEC §5 History): `try` is its number across the run, `runAttempt` the run attempt that started it. */
export interface TryJson {
  try: number;
  runAttempt: number;
  status: PhaseStatus;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
  /** Null while it runs or waits. */
  durationMs: number | null;
  exitCode: number | null;
  usage: UsageJson;
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
  tries?: TryJson[];
}

export interface RunListItemJson {
  runId: string;
  flow: string;
  status: RunStatus;
  startedAt: string;
  usage: UsageJson;
}

/** `tries`: every try of the run (CheckpointStore.getTries), when the document should carry them. */
export function runJson(run: RunRecord, phases: readonly PhaseRecord[], reuse?: ReuseSummary | null, tries?: readonly TryRecord[], now = Date.now()): RunJson {
  const byPhase = tries && groupTries(tries);
  return {
    runId: run.id,
    status: run.status,
    error: run.error?.message ?? null,
    phases: phases.map((p) => phaseJson(p, byPhase && (byPhase.get(p.phaseId) ?? []))),
    usage: usageJson(run.usage),
    durationMs: runActiveMs(run, now),
    wallMs: runWallMs(run, now),
    ...(run.rerunOf ? { rerunOf: run.rerunOf } : {}),
    ...(run.waitingFor ? { waitingFor: run.waitingFor } : {}),
    ...(reuse ? { reuse: { reusedPhases: reuse.reusedPhases, saved: usageJson(reuse.saved), rerunPhases: reuse.rerunPhases, spentAgain: usageJson(reuse.spentAgain) } } : {}),
  };
}

export function tryJson(t: TryRecord): TryJson {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    try: t.attempt,
    runAttempt: t.runAttempt,
    status: t.status,
    error: t.error?.message ?? null,
    startedAt: iso(t.startedAt),
    finishedAt: t.finishedAt === null ? null : iso(t.finishedAt),
    durationMs: t.finishedAt === null ? null : Math.max(0, t.finishedAt - t.startedAt),
    exitCode: t.exitCode,
    usage: usageJson(t.usage),
  };
}

function groupTries(tries: readonly TryRecord[]): Map<string, TryRecord[]> {
  const byPhase = new Map<string, TryRecord[]>();
  for (const t of tries) byPhase.set(t.phaseId, [...(byPhase.get(t.phaseId) ?? []), t]);
  return byPhase;
}

export function usageJson(u: UsageTotals): UsageJson {
  return { inputTokens: u.inputTokens, outputTokens: u.outputTokens, costUsd: knownCost(u), cachedInputTokens: u.cachedInputTokens, reasoningTokens: u.reasoningTokens, unpricedSteps: u.unpricedSteps };
}

/** `tries`: the phase's tries when the document carries them (none yet: an empty array). */
export function phaseJson(p: PhaseRecord, tries?: readonly TryRecord[]): PhaseJson {
  const json: PhaseJson = { id: p.phaseId, status: p.status, output: p.output, error: p.error?.message ?? null, attempts: p.attempts, usage: usageJson(p.usage) };
  if (p.waiting) json.waiting = { ...p.waiting, since: new Date(p.waiting.since).toISOString() };
  if (p.decision) {
    const { phaseId: _id, at, ...decision } = p.decision;
    json.decision = { ...decision, at: new Date(at).toISOString() };
  }
  return tries ? { ...json, tries: tries.map(tryJson) } : json;
}

/** The same shape when no run could be started or found. */
export function errorJson(message: string): RunJson {
  return { runId: null, status: null, error: message, phases: [] };
}

export function runListJson(runs: readonly RunRecord[]): RunListItemJson[] {
  return runs.map((r) => ({ runId: r.id, flow: r.flowName, status: r.status, startedAt: new Date(r.createdAt).toISOString(), usage: usageJson(r.usage) }));
}
