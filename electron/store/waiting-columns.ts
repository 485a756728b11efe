/**
 * What the SQL stores write for the waiting facts (migration 004), one definition for
 * SQLite and PostgreSQL, matching what the shared run reducer keeps in memory.
 */
import type { PhaseWaitingEvent, WaitingFor } from '../../shared/events';
import type { PhaseWaiting } from '../../shared/records';
import { decodeJson } from './codec';

/** `run_phases.waiting_json` after `phase.waiting`. */
export function waitingOf(fact: PhaseWaitingEvent, now: number): PhaseWaiting {
  return { reason: fact.reason, prompt: fact.prompt ?? null, message: fact.message ?? null, since: now };
}

/**
 * `runs.waiting_for_json` after a decision on `phaseId`: the waiting run waits for one
 * approval less. Undefined when nothing changes (the run waits for nothing, or not for it).
 */
export function withoutApproval(json: string | null, phaseId: string): string | undefined {
  if (json === null) return undefined;
  const waitingFor = decodeJson<WaitingFor | null>(json, null);
  if (!waitingFor?.approvals?.includes(phaseId)) return undefined;
  return JSON.stringify({ ...waitingFor, approvals: waitingFor.approvals.filter((id) => id !== phaseId) });
}
