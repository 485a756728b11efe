/**
 * Whole-flow rules that a per-field schema cannot express: unique ids, known
 * dependencies, no cycles, templates naming only inputs and ancestors, known providers.
 */
import type { z } from 'zod';
import { BUILTIN_PROVIDERS, type FlowFileSpec, type PhaseDef } from './schema';
import { ancestorsOf, findCycle } from './graph';
import { parseTemplate } from './template';
import { suggest, type FlowProblem } from './problems';
import type { SourceLocator, YamlPath } from './locate';

interface SemanticInput {
  /** The top-level fields these rules read (valid even when other top-level keys are not). */
  spec: Pick<z.infer<typeof FlowFileSpec>, 'inputs' | 'providers' | 'defaults'>;
  /** Phases that passed their schema, in declaration order. */
  phases: PhaseDef[];
  /** Index of each parsed phase in the file's `phases:` list. */
  indexOf: ReadonlyMap<PhaseDef, number>;
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
  const report = (phase: PhaseDef, path: YamlPath, message: string, needle?: string) =>
    problems.push({
      message: `phase "${phase.id}": ${message}`,
      ...(needle ? locate.within(path, needle, input.source) : locate.value(path)),
      path: [...path],
      phaseId: phase.id,
    });

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
        const hint = suggest(dep, ids);
        report(phase, path, `depends on unknown phase "${dep}"${hint ? `; did you mean "${hint}"?` : ''}`);
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

  const inputs = Object.keys(input.spec.inputs ?? {});
  for (const phase of phases) {
    const ancestors = cycle ? new Set(phase.depends_on ?? []) : ancestorsOf(graph, phase.id);
    for (const [field, template] of templatedFields(phase)) {
      const path = [...pathOf(phase), ...field];
      for (const part of parseTemplate(template)) {
        const needle = template.slice(part.offset, part.offset + part.length);
        if (part.error) report(phase, path, part.error, needle);
        else if (part.ref?.type === 'input' && !inputs.includes(part.ref.name)) {
          report(phase, path, `template {{inputs.${part.ref.name}}} names an input the flow does not declare${inputs.length ? ` (declared: ${inputs.join(', ')})` : ' (add it under `inputs:`)'}`, needle);
        } else if (part.ref?.type === 'output') {
          const ref = part.ref.phaseId;
          if (!input.declaredIds.has(ref)) report(phase, path, `template {{phases.${ref}.output}} names unknown phase "${ref}"`, needle);
          else if (!firstById.has(ref)) continue; // that phase has its own problem
          else if (ref === phase.id) report(phase, path, `template {{phases.${ref}.output}} names the phase itself`, needle);
          else if (!ancestors.has(ref)) report(phase, path, `template {{phases.${ref}.output}} names "${ref}", which is not an ancestor: add "${ref}" to depends_on`, needle);
        }
      }
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
  const checkModel = (model: string, path: YamlPath, phaseId?: string) => {
    const colon = model.indexOf(':');
    const prefix = phaseId ? `phase "${phaseId}": ` : '';
    const base = { ...locate.value(path), path: [...path], ...(phaseId ? { phaseId } : {}) };
    if (colon <= 0 || colon === model.length - 1) {
      problems.push({ ...base, message: `${prefix}model "${model}" must be written provider:model, e.g. "openai:gpt-4o-mini"` });
      return;
    }
    const provider = model.slice(0, colon);
    if (!known.includes(provider)) {
      const hint = suggest(provider, known);
      problems.push({ ...base, message: `${prefix}unknown provider "${provider}" in model "${model}" (known: ${known.join(', ')})${hint ? `; did you mean "${hint}"?` : ''}` });
    }
  };
  if (spec.defaults?.model !== undefined) checkModel(spec.defaults.model, ['defaults', 'model']);
  for (const phase of phases) {
    if (phase.kind !== 'agent') continue;
    if (phase.model !== undefined) checkModel(phase.model, [...pathOf(phase), 'model'], phase.id);
    else if (spec.defaults?.model === undefined) {
      problems.push({ message: `phase "${phase.id}": no model; set \`model:\` on the phase or \`defaults.model\``, ...locate.value(pathOf(phase)), path: [...pathOf(phase)], phaseId: phase.id });
    }
  }
  return problems;
}

/** Every string field of a phase that may hold templates, with its path inside the phase. */
export function templatedFields(phase: PhaseDef): [YamlPath, string][] {
  switch (phase.kind) {
    case 'agent':
      return [[['prompt'], phase.prompt], ...(phase.system !== undefined ? [[['system'], phase.system] as [YamlPath, string]] : [])];
    case 'command':
      return [[['run'], phase.run], ...Object.entries(phase.env ?? {}).flatMap(([k, v]) => (typeof v === 'string' ? [[['env', k], v] as [YamlPath, string]] : []))];
  }
}
