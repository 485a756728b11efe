/**
 * Which node and which field each validation problem concerns, from the problem's
 * `phaseId` and `path` (["phases", 2, "prompt"] is the `prompt` field of the third
 * phase). Problems that concern no phase are the flow's own.
 */
import type { FlowProblem } from '../../shared/flow/problems';

export interface PhaseProblems {
  all: FlowProblem[];
  /** By the top-level field of the phase they concern (`retry` for ["retry", "attempts"]). */
  byField: ReadonlyMap<string, FlowProblem[]>;
  /** Problems of the phase as a whole (say, no model anywhere). An unknown key is filed under its name. */
  general: FlowProblem[];
}

export interface ProblemMap {
  phases: ReadonlyMap<string, PhaseProblems>;
  /** Problems of the flow itself (`name`, `inputs`, `defaults`, YAML syntax). */
  flow: FlowProblem[];
}

export function mapProblems(problems: readonly FlowProblem[], idAt: readonly (string | undefined)[]): ProblemMap {
  const phases = new Map<string, { all: FlowProblem[]; byField: Map<string, FlowProblem[]>; general: FlowProblem[] }>();
  const flow: FlowProblem[] = [];
  for (const problem of problems) {
    const { path } = problem;
    const index = path[0] === 'phases' && typeof path[1] === 'number' ? path[1] : undefined;
    const id = problem.phaseId ?? (index !== undefined ? idAt[index] : undefined);
    if (id === undefined) {
      flow.push(problem);
      continue;
    }
    let entry = phases.get(id);
    if (!entry) phases.set(id, (entry = { all: [], byField: new Map(), general: [] }));
    entry.all.push(problem);
    const field = index !== undefined ? path[2] : undefined;
    if (typeof field !== 'string') entry.general.push(problem);
    else {
      const list = entry.byField.get(field);
      if (list) list.push(problem);
      else entry.byField.set(field, [problem]);
    }
  }
  return { phases, flow };
}

/** The problems of a field, or none. */
export function fieldProblems(map: ProblemMap, phaseId: string, field: string): FlowProblem[] {
  return map.phases.get(phaseId)?.byField.get(field) ?? [];
}

/** A problem's message without the `phase "x": ` prefix, for showing beside its field. */
export function shortMessage(problem: FlowProblem): string {
  return problem.message.replace(/^phase "[^"]*": /, '');
}
