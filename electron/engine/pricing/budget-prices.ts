/**
 * A budget in USD needs a price for every model the flow's agent phases use (SPEC §2):
 * without one a step's cost is unknown and the budget could not be kept. This check
 * runs where flows are validated on the electron side (`waymark validate`, starting,
 * resuming and queueing a run, the app's flow validation); the shared loader cannot run
 * it, because the catalogue is not bundled into the renderer. It loads the catalogue
 * only for a flow whose budget has `usd`.
 *
 * Each problem names the model, where it is used (file:line:column of its `model:`) and
 * the fix: a `prices:` entry.
 */
import { LineCounter } from 'yaml';
import { WaymarkError } from '../../../shared/errors';
import type { Budget } from '../../../shared/events';
import { SourceLocator, type YamlPath } from '../../../shared/flow/locate';
import { formatProblem, type FlowProblem } from '../../../shared/flow/problems';
import type { Flow } from '../../../shared/flow/schema';
import { parseYaml } from '../../../shared/flow/yaml-parse';
import { CATALOGUE_PROVIDERS } from './catalogue';
import { priceFor } from './price-for';

interface ModelUse {
  model: string;
  /** Where the model is written: a phase's `model:`, or `defaults.model`. */
  path: YamlPath;
  phaseId?: string;
  /** Phases using it through `defaults.model`. */
  phases: string[];
}

/** Problems for every model without a price, when `budget` (default: the flow's) has `usd`; [] otherwise. */
export async function unpricedModelProblems(flow: Flow, source: string, file?: string, budget: Budget | undefined = flow.budget): Promise<FlowProblem[]> {
  if (budget?.usd === undefined) return [];
  const map = sourceMap(source);
  const problems: FlowProblem[] = [];
  for (const use of modelUses(flow, map.index)) {
    if ((await priceFor(use.model, flow.prices)) !== null) continue;
    const at = map.locate ? map.locate.value(use.path) : { line: 1, column: 1 };
    problems.push({ ...(file ? { file } : {}), ...at, path: [...use.path], ...(use.phaseId ? { phaseId: use.phaseId } : {}), message: message(use) });
  }
  return problems;
}

/** Throws FLOW_INVALID, one problem per line, when `unpricedModelProblems` finds any. */
export async function assertBudgetPriced(flow: Flow, source: string, file: string, budget?: Budget): Promise<void> {
  const problems = await unpricedModelProblems(flow, source, file, budget);
  const first = problems[0];
  if (!first) return;
  throw new WaymarkError('FLOW_INVALID', problems.map(formatProblem).join('\n'), {
    where: { file, line: first.line, column: first.column, ...(first.phaseId ? { phaseId: first.phaseId } : {}) },
  });
}

function message(use: ModelUse): string {
  const colon = use.model.indexOf(':');
  const provider = use.model.slice(0, colon);
  const why = Object.hasOwn(CATALOGUE_PROVIDERS, provider)
    ? `the price catalogue has no ${provider} model "${use.model.slice(colon + 1)}"`
    : `provider "${provider}" has no catalogue prices`;
  const who = use.phaseId ? `phase "${use.phaseId}": model` : `defaults.model (used by ${use.phases.map((p) => `"${p}"`).join(', ')})`;
  const fix = `add its price per million tokens to the flow, e.g. prices: { "${use.model}": { input: 0, output: 0 } } (0 for a free local model), or budget by tokens instead (budget: { tokens: N })`;
  return `${who} "${use.model}" has no known price, and budget.usd needs one for every model (${why}); ${fix}`;
}

/** Each distinct model of the agent phases, once, where it is written. */
function modelUses(flow: Flow, index: ReadonlyMap<string, number>): ModelUse[] {
  const uses = new Map<string, ModelUse>();
  const viaDefaults: string[] = [];
  for (const phase of flow.phases) {
    if (phase.kind !== 'agent') continue;
    if (phase.model === undefined) {
      viaDefaults.push(phase.id);
      continue;
    }
    if (!uses.has(phase.model)) uses.set(phase.model, { model: phase.model, path: ['phases', index.get(phase.id) ?? 0, 'model'], phaseId: phase.id, phases: [phase.id] });
  }
  const fallback = flow.defaults.model;
  if (fallback !== undefined && viaDefaults.length > 0 && !uses.has(fallback)) uses.set(fallback, { model: fallback, path: ['defaults', 'model'], phases: viaDefaults });
  return [...uses.values()];
}

/** Positions in the source, and the index of each phase id in its `phases:` list (the loaded flow is sorted). */
function sourceMap(source: string): { locate?: SourceLocator; index: Map<string, number> } {
  const lines = new LineCounter();
  const parsed = parseYaml(source, lines);
  if (!parsed.ok) return { index: new Map() };
  const raw = (parsed.doc.toJS() as { phases?: unknown }).phases;
  const ids = Array.isArray(raw) ? raw.map((p) => (typeof p === 'object' && p !== null ? (p as { id?: unknown }).id : undefined)) : [];
  return { locate: new SourceLocator(parsed.doc, lines), index: new Map(ids.flatMap((id, i) => (typeof id === 'string' ? [[id, i] as const] : []))) };
}
