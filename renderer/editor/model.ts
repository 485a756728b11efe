/**
 * What the editor draws, read from the flow text: phases with their raw fields, and the
 * `layout:` positions. Tolerant where the loader is strict, so a flow with problems
 * still shows its graph (the problems are drawn on it, from `analyseFlow`).
 */
import { parseDocument } from 'yaml';
import { parseFlow } from '../../shared/flow/load';
import type { FlowProblem } from '../../shared/flow/problems';
import { mapProblems, type ProblemMap } from './problem-map';

export interface ModelPhase {
  id: string;
  kind: string;
  dependsOn: string[];
  /** Index in the file's `phases:` list (problem paths use it). */
  index: number;
  /** The phase mapping as written (after YAML parsing). */
  fields: Readonly<Record<string, unknown>>;
}

export interface FlowModel {
  name: string | null;
  /** `defaults.model`, what agent phases without a `model:` use. */
  defaultModel: string | null;
  /** Drawable phases: each id once (a duplicate is a problem, drawn once). */
  phases: ModelPhase[];
  /** Phase id of each entry of `phases:`, by index (undefined where there is no id). */
  idAt: (string | undefined)[];
  layout: ReadonlyMap<string, { x: number; y: number }>;
  /** The file has a `layout:` key: positions are the user's, not elk's. */
  hasLayout: boolean;
}

export interface FlowAnalysis {
  model: FlowModel;
  problems: FlowProblem[];
  byPhase: ProblemMap;
  valid: boolean;
}

export function readModel(source: string): FlowModel {
  let data: unknown;
  try {
    data = parseDocument(source).toJS();
  } catch {
    data = null;
  }
  const top = isRecord(data) ? data : {};
  const raw = Array.isArray(top.phases) ? top.phases : [];
  const seen = new Set<string>();
  const phases: ModelPhase[] = [];
  const idAt = raw.map((entry, index) => {
    if (!isRecord(entry) || typeof entry.id !== 'string') return undefined;
    if (!seen.has(entry.id)) {
      seen.add(entry.id);
      const deps = Array.isArray(entry.depends_on) ? entry.depends_on.filter((d): d is string => typeof d === 'string') : [];
      phases.push({ id: entry.id, kind: typeof entry.kind === 'string' ? entry.kind : '?', dependsOn: [...new Set(deps)], index, fields: entry });
    }
    return entry.id;
  });
  const defaults = isRecord(top.defaults) ? top.defaults : {};
  return {
    name: typeof top.name === 'string' ? top.name : null,
    defaultModel: typeof defaults.model === 'string' ? defaults.model : null,
    phases,
    idAt,
    layout: readLayout(top.layout),
    hasLayout: isRecord(top.layout),
  };
}

function readLayout(value: unknown): Map<string, { x: number; y: number }> {
  const layout = new Map<string, { x: number; y: number }>();
  if (!isRecord(value)) return layout;
  for (const [id, pos] of Object.entries(value)) {
    if (isRecord(pos) && typeof pos.x === 'number' && typeof pos.y === 'number' && Number.isFinite(pos.x) && Number.isFinite(pos.y)) layout.set(id, { x: pos.x, y: pos.y });
  }
  return layout;
}

let cached: { source: string; file: string; analysis: FlowAnalysis } | null = null;

/**
 * The model and the engine's own verdict (`parseFlow`, the loader the engine runs) for
 * a text. Memoised on the last text, so every component can ask for it on each render.
 */
export function analyseFlow(source: string, file: string): FlowAnalysis {
  if (cached && cached.source === source && cached.file === file) return cached.analysis;
  const model = readModel(source);
  const result = parseFlow(source, { file });
  const problems = result.ok ? [] : result.problems;
  const analysis = { model, problems, byPhase: mapProblems(problems, model.idAt), valid: result.ok };
  cached = { source, file, analysis };
  return analysis;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
