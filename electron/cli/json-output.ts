/** The `--json` documents of SPEC §6, exactly: nothing more, nothing less. */
import type { PhaseRecord, RunRecord } from '../../shared/records';
import type { PhaseStatus, RunStatus } from '../../shared/status';

export interface RunJson {
  runId: string | null;
  status: RunStatus | null;
  error: string | null;
  phases: { id: string; status: PhaseStatus; output: string | null; error: string | null; attempts: number }[];
}

export interface RunListItemJson {
  runId: string;
  flow: string;
  status: RunStatus;
  startedAt: string;
}

export function runJson(run: RunRecord, phases: readonly PhaseRecord[]): RunJson {
  return {
    runId: run.id,
    status: run.status,
    error: run.error?.message ?? null,
    phases: phases.map((p) => ({ id: p.phaseId, status: p.status, output: p.output, error: p.error?.message ?? null, attempts: p.attempts })),
  };
}

/** The same shape when no run could be started or found. */
export function errorJson(message: string): RunJson {
  return { runId: null, status: null, error: message, phases: [] };
}

export function runListJson(runs: readonly RunRecord[]): RunListItemJson[] {
  return runs.map((r) => ({ runId: r.id, flow: r.flowName, status: r.status, startedAt: new Date(r.createdAt).toISOString() }));
}
