/**
 * What resuming a run saved and what it spent again (SPEC §3), from its event log: one
 * pure function, so `waymark show`, its `--json` and the app say the same.
 *
 * - `saved`: for each resumed attempt, the tokens and cost of the successful try of
 *   every phase it reused (what running those phases again would have cost, as they
 *   cost then). A phase reused by two resumes counts twice: it was saved twice.
 * - `spentAgain`: model steps of a resumed attempt on a phase that had already spent in
 *   an earlier attempt (a re-run, or a continued conversation after a failure).
 *
 * A model step belongs to its phase's current try (the latest `phase.started`), and a
 * try to the run attempt that started it.
 */
import type { PersistedEvent } from './events';
import { addStepUsage, addTotals, emptyTotals, type UsageTotals } from './usage';

export interface ReuseSummary {
  /** Resumed attempts counted (attempts after the first). */
  resumes: number;
  /** Phase reuses counted in `saved` (a phase reused twice counts twice). */
  reusedPhases: number;
  saved: UsageTotals;
  /** Phases that spent again in a resumed attempt, in the order they first did. */
  rerunPhases: string[];
  spentAgain: UsageTotals;
}

/** Null for a run that was never resumed. `events` are the run's whole log, in seq order. */
export function reuseSummary(events: readonly PersistedEvent[]): ReuseSummary | null {
  const tryAttempt = new Map<string, number>();
  const tryUsage = new Map<string, UsageTotals>();
  const currentTry = new Map<string, number>();
  const succeededTry = new Map<string, number>();
  const spentIn = new Map<string, Set<number>>();
  const summary: ReuseSummary = { resumes: 0, reusedPhases: 0, saved: emptyTotals(), rerunPhases: [], spentAgain: emptyTotals() };
  for (const e of events) {
    if (e.type === 'run.started' && e.attempt > 1) {
      summary.resumes += 1;
      for (const id of e.reused) {
        const t = succeededTry.get(id);
        const used = t === undefined ? undefined : tryUsage.get(`${id}#${t}`);
        summary.reusedPhases += 1;
        if (used) addTotals(summary.saved, used);
      }
    } else if (e.type === 'phase.started') {
      tryAttempt.set(`${e.phaseId}#${e.attempt}`, e.runAttempt);
      currentTry.set(e.phaseId, e.attempt);
    } else if (e.type === 'phase.finished' && e.status === 'succeeded' && e.attempt > 0) {
      succeededTry.set(e.phaseId, e.attempt);
    } else if (e.type === 'transcript.appended' && e.usage) {
      const t = currentTry.get(e.phaseId) ?? 0;
      const key = `${e.phaseId}#${t}`;
      const usage = tryUsage.get(key) ?? emptyTotals();
      addStepUsage(usage, e.usage);
      tryUsage.set(key, usage);
      const attempt = tryAttempt.get(key) ?? 1;
      const before = spentIn.get(e.phaseId) ?? new Set<number>();
      if ([...before].some((a) => a < attempt)) {
        addStepUsage(summary.spentAgain, e.usage);
        if (!summary.rerunPhases.includes(e.phaseId)) summary.rerunPhases.push(e.phaseId);
      }
      before.add(attempt);
      spentIn.set(e.phaseId, before);
    }
  }
  return summary.resumes > 0 ? summary : null;
}
