/**
 * Whole-flow rules that a per-field schema cannot express: unique ids, known
 * dependencies, no cycles, templates naming only inputs and ancestors, known providers.
 */
import type * as z from 'zod';
import { BUILTIN_PROVIDERS, type FlowFileSpec, type PhaseDef } from './schema';
import { ancestorQueries, type AncestorQuery } from './ancestry';
import { findCycle } from './graph';
import { parseTemplate } from './template';
import { suggest, type FlowProblem } from './problems';
import type { SourceLocator, YamlPath } from './locate';

interface SemanticInput {
  /** The top-level fields these rules read (valid even when other top-level keys are not). */
  spec: Pick<z.infer<typeof FlowFileSpec>, 'inputs' | 'providers' | 'defaults'>;
  /** Phases that passed their schema, and partial ones (below), in declaration order. */
  phases: PhaseDef[];
  /** Index of each parsed phase in the file's `phases:` list. */
  indexOf: ReadonlyMap<PhaseDef, number>;
  /**
   * Phases that failed their schema, kept with only their valid keys, with the keys
   * removed: checked like the rest, except where a removed key would have answered (a
   * model that is there but invalid is not "no model").
   */
  partial?: ReadonlyMap<PhaseDef, ReadonlySet<string>>;
  /** Every id written in the file, including phases that failed their schema. */
  declaredIds: ReadonlySet<string>;
  locate: SourceLocator;
  source: string;
}

type Problem = Omit<FlowProblem, 'file'>;

export function checkFlowSemantics(input: SemanticInput): Problem[] {
  const { phases, indexOf, locate } = input;
  const problems: Problem[] = [];
  const pathOf = (p: PhaseDef): YamlPath => ['phases', indexOf.get(p) ?? 0];
  const report = (phase: PhaseDef, path: YamlPath, message: string, needle?: { text: string; from: number }) =>
    problems.push({
      message: `phase "${phase.id}": ${message}`,
      ...(needle ? locate.within(path, needle.text, input.source, needle.from) : locate.value(path)),
      path: [...path],
      phaseId: phase.id,
    });
  const hint = hintBudget();

  const firstById = new Map<string, PhaseDef>();
  for (const phase of phases) {
    const first = firstById.get(phase.id);
    if (first) {
      const line = locate.value([...pathOf(first), 'id']).line;
      report(phase, [...pathOf(phase), 'id'], `duplicate phase id (first declared on line ${line})`);
    } else firstById.set(phase.id, phase);
  }
  const ids = [...firstById.keys()];

  for (const phase of phases) {
    (phase.depends_on ?? []).forEach((dep, j) => {
      const path = [...pathOf(phase), 'depends_on', j];
      if (dep === phase.id) report(phase, path, 'depends on itself');
      else if (!input.declaredIds.has(dep)) {
        const guess = hint(dep, ids);
        report(phase, path, `depends on unknown phase "${dep}"${guess ? `; did you mean "${guess}"?` : ''}`);
      }
    });
  }

  const graph = [...firstById.values()].map((p) => ({ id: p.id, depends_on: (p.depends_on ?? []).filter((d) => d !== p.id) }));
  const cycle = findCycle(graph);
  if (cycle) {
    // The path runs dependency → dependent, so `start` depends on the node before it.
    const start = firstById.get(cycle[0] as string) as PhaseDef;
    const j = (start.depends_on ?? []).indexOf(cycle[cycle.length - 2] as string);
    problems.push({
      message: `dependency cycle: ${cycle.join(' → ')}`,
      ...locate.value([...pathOf(start), 'depends_on', Math.max(j, 0)]),
      path: [...pathOf(start), 'depends_on'],
      phaseId: start.id,
    });
  }

  // Template references are collected first, so that "is it an ancestor?" is answered
  // for all of them in one walk of the graph (ancestry.ts), then reported in order.
  const inputs = new Set(Object.keys(input.spec.inputs ?? {}));
  const declaredInputs = inputs.size > 0 ? ` (declared: ${listed([...inputs])})` : ' (add it under `inputs:`)';
  const checks: { phase: PhaseDef; path: YamlPath; needle: { text: string; from: number }; message?: string; query?: number }[] = [];
  const queries: AncestorQuery[] = [];
  for (const phase of phases) {
    for (const [field, template] of templatedFields(phase)) {
      if (typeof template !== 'string') continue; // a partial phase's missing field
      const path = [...pathOf(phase), ...field];
      for (const part of parseTemplate(template)) {
        const check = { phase, path, needle: { text: template.slice(part.offset, part.offset + part.length), from: part.offset } };
        if (part.error) checks.push({ ...check, message: part.error });
        else if (part.ref?.type === 'input' && !inputs.has(part.ref.name)) {
          checks.push({ ...check, message: `template {{inputs.${part.ref.name}}} names an input the flow does not declare${declaredInputs}` });
        } else if (part.ref?.type === 'output') {
          const ref = part.ref.phaseId;
          if (!input.declaredIds.has(ref)) checks.push({ ...check, message: `template {{phases.${ref}.output}} names unknown phase "${ref}"` });
          else if (!firstById.has(ref)) continue; // that phase has its own problem
          else if (ref === phase.id) checks.push({ ...check, message: `template {{phases.${ref}.output}} names the phase itself` });
          else checks.push({ ...check, query: queries.push({ phase: phase.id, ancestor: ref }) - 1 });
        }
      }
    }
  }
  // With a cycle there is no ancestry to speak of: only direct dependencies count.
  const answers = cycle ? undefined : ancestorQueries(graph, queries);
  for (const c of checks) {
    if (c.query === undefined) report(c.phase, c.path, c.message as string, c.needle);
    else {
      const ref = (queries[c.query] as AncestorQuery).ancestor;
      const isAncestor = answers ? answers[c.query] : (c.phase.depends_on ?? []).includes(ref);
      if (!isAncestor) report(c.phase, c.path, `template {{phases.${ref}.output}} names "${ref}", which is not an ancestor: add "${ref}" to depends_on`, c.needle);
    }
  }

  problems.push(...checkProviders(input, pathOf));
  return problems;
}

function checkProviders(input: SemanticInput, pathOf: (p: PhaseDef) => YamlPath): Problem[] {
  const { spec, phases, locate } = input;
  const problems: Problem[] = [];
  const declared = Object.keys(spec.providers ?? {});
  for (const name of declared) {
    if ((BUILTIN_PROVIDERS as readonly string[]).includes(name)) {
      problems.push({ message: `provider "${name}" is built in and cannot be redeclared; choose another name`, ...locate.key(['providers'], name), path: ['providers', name] });
    }
  }
  const known = [...BUILTIN_PROVIDERS, ...declared];
  const knownSet = new Set(known);
  const hint = hintBudget();
  const checkModel = (model: string, path: YamlPath, phaseId?: string) => {
    const colon = model.indexOf(':');
    const prefix = phaseId ? `phase "${phaseId}": ` : '';
    const base = { ...locate.value(path), path: [...path], ...(phaseId ? { phaseId } : {}) };
    if (colon <= 0 || colon === model.length - 1) {
      problems.push({ ...base, message: `${prefix}model "${model}" must be written provider:model, e.g. "openai:gpt-4o-mini"` });
      return;
    }
    const provider = model.slice(0, colon);
    if (!knownSet.has(provider)) {
      const guess = hint(provider, known);
      problems.push({ ...base, message: `${prefix}unknown provider "${provider}" in model "${model}" (known: ${listed(known)})${guess ? `; did you mean "${guess}"?` : ''}` });
    }
  };
  if (spec.defaults?.model !== undefined) checkModel(spec.defaults.model, ['defaults', 'model']);
  for (const phase of phases) {
    if (phase.kind !== 'agent') continue;
    if (phase.model !== undefined) checkModel(phase.model, [...pathOf(phase), 'model'], phase.id);
    else if (spec.defaults?.model === undefined && !input.partial?.get(phase)?.has('model')) {
      problems.push({ message: `phase "${phase.id}": no model; set \`model:\` on the phase or \`defaults.model\``, ...locate.value(pathOf(phase)), path: [...pathOf(phase)], phaseId: phase.id });
    }
  }
  return problems;
}

/**
 * "Did you mean" compares a word with every candidate, and there may be as many
 * candidates as phases: past the first few hints none is offered, so 10,000 unknown
 * dependencies in a 10,000-phase flow cost 10,000 comparisons, not 10⁸.
 */
function hintBudget(hints = 20): (word: string, candidates: readonly string[]) => string | undefined {
  return (word, candidates) => (hints-- > 0 ? suggest(word, candidates) : undefined);
}

/** Names for a message: all of a short list, the first few of a long one. */
function listed(names: readonly string[], max = 10): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** Every string field of a phase that may hold templates, with its path inside the phase. */
export function templatedFields(phase: PhaseDef): [YamlPath, string][] {
  switch (phase.kind) {
    case 'agent':
      return [[['prompt'], phase.prompt], ...(phase.system !== undefined ? [[['system'], phase.system] as [YamlPath, string]] : [])];
    case 'command':
      return [[['run'], phase.run], ...Object.entries(phase.env ?? {}).flatMap(([k, v]) => (typeof v === 'string' ? [[['env', k], v] as [YamlPath, string]] : []))];
    case 'approval':
      return [[['prompt'], phase.prompt]];
  }
}
