/**
 * The completed set and the frontier (SPEC §4). Pure, so the engine and the editor's
 * resume preview compute exactly the same answer.
 *
 * A phase is complete iff it succeeded before, its definition hash is unchanged, and
 * every dependency it has in the *current* flow is complete. Phases arrive sorted
 * dependencies-first, so one pass decides each phase after all of its dependencies.
 */

export interface PlanPhase {
  id: string;
  dependsOn: readonly string[];
  /** Definition hash of the phase in the current flow. */
  defHash: string;
}

export interface SavedPhase {
  /** Hash of the definition that produced the saved output. */
  defHash: string;
}

export type RerunReason =
  | 'never-ran'
  | 'failed-before'
  /** It waits for a person (an approval, a budget): it runs again and asks again. */
  | 'waiting'
  | 'changed'
  | 'ancestor-reruns'
  | 'restart-requested';

export interface ResumePlan {
  /** Phases reused as they are: not executed again; their saved outputs feed dependents. */
  complete: Set<string>;
  /** Not complete, every dependency complete: these run first. */
  frontier: string[];
  /** Why each phase that is not complete will run. */
  reasons: Map<string, RerunReason>;
}

export function planResume(
  phases: readonly PlanPhase[],
  saved: ReadonlyMap<string, SavedPhase>,
  options: { restartPhase?: string; attempted?: ReadonlySet<string>; waiting?: ReadonlySet<string> } = {},
): ResumePlan {
  const complete = new Set<string>();
  const frontier: string[] = [];
  const reasons = new Map<string, RerunReason>();
  for (const phase of phases) {
    const result = saved.get(phase.id);
    const depsComplete = phase.dependsOn.every((d) => complete.has(d));
    let reason: RerunReason | undefined;
    if (phase.id === options.restartPhase) reason = 'restart-requested';
    else if (!result) reason = options.waiting?.has(phase.id) ? 'waiting' : options.attempted?.has(phase.id) ? 'failed-before' : 'never-ran';
    else if (result.defHash !== phase.defHash) reason = 'changed';
    else if (!depsComplete) reason = 'ancestor-reruns';
    if (reason === undefined) {
      complete.add(phase.id);
      continue;
    }
    reasons.set(phase.id, reason);
    if (depsComplete) frontier.push(phase.id);
  }
  return { complete, frontier, reasons };
}
