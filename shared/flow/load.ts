/**
 * Parses and validates a flow file's text (SPEC §2). Pure: no file system, so the
 * editor runs exactly the same checks. Every problem is collected, each with its
 * line and column; nothing here throws on bad input.
 */
import { LineCounter } from 'yaml';
import * as z from 'zod';
import {
  DEFAULT_MAX_PARALLEL,
  FlowFileSpec,
  PHASE_KIND_SCHEMAS,
  PHASE_KINDS,
  type Flow,
  type InputDecl,
  type PhaseDef,
} from './schema';
import { SourceLocator, type YamlPath } from './locate';
import { suggest, type FlowProblem } from './problems';
import { checkFlowSemantics } from './semantics';
import { stableTopoSort } from './graph';
import { MAX_FLOW_PROBLEMS } from './limits';
import { checkFlowText } from './text-checks';
import { parseYaml } from './yaml-parse';

export type LoadResult = { ok: true; flow: Flow } | { ok: false; problems: FlowProblem[] };

export interface ParseOptions {
  /** Shown in every problem, and used as the flow's name when it has no `name:`. */
  file?: string;
  defaultName?: string;
}

export function parseFlow(text: string, options: ParseOptions = {}): LoadResult {
  const problems: FlowProblem[] = [];
  const file = options.file;
  const add = (p: Omit<FlowProblem, 'file'>) => problems.push({ ...(file ? { file } : {}), ...p });

  // Size, NUL and nesting are checked before anything whose cost grows faster than the text.
  for (const p of checkFlowText(text)) add({ ...p, path: [] });
  if (problems.length > 0) return { ok: false, problems };
  const lines = new LineCounter();
  const parsed = parseYaml(text, lines);
  if (!parsed.ok) {
    add({ ...parsed.problem, path: [] });
    return { ok: false, problems };
  }
  const doc = parsed.doc;

  if (doc.errors.length > 0) {
    for (const err of doc.errors) {
      // `linePos` is only filled in with prettyErrors, whose multi-line messages we don't want.
      const pos = err.linePos?.[0] ?? lines.linePos(err.pos[0]);
      const hint = /nested mappings|implicit keys/i.test(err.message) ? ' (a value containing ": " must be quoted, or written as a block with `|`)' : '';
      add({ message: `YAML syntax: ${firstLine(err.message)}${hint}`, line: pos.line, column: pos.col, path: [] });
    }
    return { ok: false, problems: sortProblems(problems) };
  }

  const locate = new SourceLocator(doc, lines);
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (err) {
    // e.g. "Excessive alias count": a YAML alias bomb must not crash the caller.
    add({ message: `YAML: ${firstLine(err instanceof Error ? err.message : String(err))}`, line: 1, column: 1, path: [] });
    return { ok: false, problems };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    add({ message: 'a flow file must be a YAML mapping with a `phases:` list', line: 1, column: 1, path: [] });
    return { ok: false, problems };
  }

  const top = FlowFileSpec.safeParse(data);
  if (!top.success) addIssues(top.error.issues, [], FlowFileSpec, data, locate, add);

  const rawPhases = Array.isArray((data as { phases?: unknown }).phases) ? ((data as { phases: unknown[] }).phases) : [];
  const phases: PhaseDef[] = [];
  const indexOf = new Map<PhaseDef, number>();
  const partial = new Map<PhaseDef, ReadonlySet<string>>();
  rawPhases.forEach((raw, i) => {
    const parsed = parsePhase(raw, i, data, locate, add);
    if (!parsed) return;
    phases.push(parsed.phase);
    indexOf.set(parsed.phase, i);
    if (parsed.removed) partial.set(parsed.phase, parsed.removed);
  });

  // Whole-flow rules still run beside top-level problems (an unknown key, a bad
  // `max_parallel`), unless a field they read is itself invalid.
  const semanticSpec = top.success ? top.data : SemanticFields.safeParse(data).data;
  if (semanticSpec) {
    const semantic = checkFlowSemantics({ spec: semanticSpec, phases, indexOf, partial, declaredIds: declaredIds(rawPhases), locate, source: text });
    for (const p of semantic) add(p);
  }
  if (problems.length > 0 || !top.success) return { ok: false, problems: sortProblems(problems) };

  const spec = top.data;
  const sorted = stableTopoSort(phases) as PhaseDef[];
  const inputs: Record<string, InputDecl> = {};
  for (const [name, decl] of Object.entries(spec.inputs ?? {})) {
    inputs[name] = {
      ...(decl?.default !== undefined ? { default: String(decl.default) } : {}),
      ...(decl?.description !== undefined ? { description: decl.description } : {}),
    };
  }
  const flow: Flow = {
    name: spec.name ?? options.defaultName ?? 'flow',
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    inputs,
    providers: spec.providers ?? {},
    defaults: spec.defaults ?? {},
    maxParallel: spec.max_parallel ?? DEFAULT_MAX_PARALLEL,
    ...(spec.workdir !== undefined ? { workdir: spec.workdir } : {}),
    ...(spec.budget !== undefined ? { budget: spec.budget } : {}),
    ...(spec.prices !== undefined ? { prices: spec.prices } : {}),
    phases: sorted,
    ...(spec.layout !== undefined ? { layout: spec.layout } : {}),
  };
  return { ok: true, flow };
}

type AddProblem = (p: Omit<FlowProblem, 'file'>) => void;

/** The top-level fields `checkFlowSemantics` reads; other keys are stripped, not rejected. */
const SemanticFields = z.object({ inputs: FlowFileSpec.shape.inputs, providers: FlowFileSpec.shape.providers, defaults: FlowFileSpec.shape.defaults });

/**
 * A phase as parsed. One that failed its schema holds only its valid keys (`removed`
 * names the others), so the whole-flow rules still check its dependencies, provider
 * and templates.
 */
type ParsedPhase = { phase: PhaseDef; removed?: ReadonlySet<string> };

function parsePhase(raw: unknown, index: number, data: object, locate: SourceLocator, add: AddProblem): ParsedPhase | undefined {
  const path: YamlPath = ['phases', index];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    add({ message: `phases[${index}] must be a mapping with at least \`id\` and \`kind\``, ...locate.value(path), path: [...path] });
    return undefined;
  }
  const rec = raw as Record<string, unknown>;
  const phaseId = typeof rec.id === 'string' ? rec.id : undefined;
  const label = phaseId ? `phase "${phaseId}"` : `phases[${index}]`;
  const kind = rec.kind;
  if (kind === undefined) {
    add({ message: `${label} has no \`kind\` (expected one of: ${PHASE_KINDS.join(', ')})`, ...locate.value(path), path: [...path], ...(phaseId ? { phaseId } : {}) });
    return undefined;
  }
  if (typeof kind !== 'string' || !(PHASE_KINDS as string[]).includes(kind)) {
    const hint = typeof kind === 'string' ? suggest(kind, PHASE_KINDS) : undefined;
    add({
      message: `${label}: unknown kind ${JSON.stringify(kind)} (expected one of: ${PHASE_KINDS.join(', ')})${hint ? `; did you mean "${hint}"?` : ''}`,
      ...locate.value([...path, 'kind']),
      path: [...path, 'kind'],
      ...(phaseId ? { phaseId } : {}),
    });
    return undefined;
  }
  const schema = PHASE_KIND_SCHEMAS[kind as keyof typeof PHASE_KIND_SCHEMAS];
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { phase: parsed.data };
  addIssues(parsed.error.issues, path, schema, data, locate, (p) => add({ ...p, message: `${label}: ${p.message}`, ...(phaseId ? { phaseId } : {}) }));
  return validKeysOf(schema, rec);
}

/**
 * The keys of a phase that are valid on their own, as a partial phase; undefined without
 * a valid `id` (a phase the rules could not name). Never run: its flow has problems.
 */
function validKeysOf(schema: z.ZodType, rec: Record<string, unknown>): ParsedPhase | undefined {
  if (!(schema instanceof z.ZodObject)) return undefined;
  const shape = schema.shape as Record<string, z.ZodType>;
  const valid = (key: string) => Object.hasOwn(shape, key) && (shape[key] as z.ZodType).safeParse(rec[key]).success;
  const phase = Object.fromEntries(Object.entries(rec).filter(([key]) => valid(key)));
  if (typeof phase.id !== 'string') return undefined;
  return { phase: phase as PhaseDef, removed: new Set(Object.keys(rec).filter((key) => !valid(key))) };
}

/** Reports zod issues of `schema`, which validated the value at `prefix`. */
function addIssues(issues: readonly z.core.$ZodIssue[], prefix: YamlPath, schema: z.ZodType, data: object, locate: SourceLocator, add: AddProblem): void {
  for (const issue of issues) {
    const rel = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const path = [...prefix, ...rel] as (string | number)[];
    if (prefix.length === 0 && path[0] === 'phases' && path.length > 1) continue; // phases are checked one by one
    if (issue.code === 'unrecognized_keys') {
      const keys = keysAt(schema, rel);
      for (const key of issue.keys) {
        const hint = suggest(key, keys);
        add({ message: `unknown key "${key}"${where(path)}${hint ? `; did you mean "${hint}"?` : ''}`, ...locate.key(path, key), path: [...path, key] });
      }
      continue;
    }
    const missing = getIn(data, path) === undefined;
    const message = missing ? `missing required key "${String(path[path.length - 1])}"${where(path.slice(0, -1))}` : `${fieldLabel(path)}: ${lowerFirst(issue.message)}`;
    add({ message, ...(missing ? locate.value(path.slice(0, -1)) : locate.value(path)), path });
  }
}

/** The keys `schema` accepts in the mapping at `path`, for "did you mean" hints. */
function keysAt(schema: z.ZodType, path: YamlPath): string[] {
  let cur: unknown = schema;
  for (const key of path) cur = childSchema(unwrap(cur), key);
  const node = unwrap(cur);
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

function unwrap(schema: unknown): unknown {
  return schema instanceof z.ZodOptional || schema instanceof z.ZodNullable ? unwrap(schema.unwrap()) : schema;
}

function childSchema(schema: unknown, key: string | number): unknown {
  if (schema instanceof z.ZodObject) return typeof key === 'string' && Object.hasOwn(schema.shape, key) ? schema.shape[key] : undefined;
  if (schema instanceof z.ZodArray) return schema.element;
  if (schema instanceof z.ZodRecord) return schema.valueType;
  return undefined;
}

function declaredIds(raw: readonly unknown[]): Set<string> {
  const ids = raw.map((r) => (typeof r === 'object' && r !== null ? (r as { id?: unknown }).id : undefined));
  return new Set(ids.filter((id): id is string => typeof id === 'string'));
}

function where(path: YamlPath): string {
  const rel = path.filter((_, i) => !(path[0] === 'phases' && i < 2));
  return rel.length > 0 ? ` in ${fieldLabel(rel)}` : '';
}

function fieldLabel(path: YamlPath): string {
  const rel = path[0] === 'phases' && path.length > 2 ? path.slice(2) : path;
  return rel.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '') || 'flow';
}

function getIn(data: unknown, path: YamlPath): unknown {
  let cur = data;
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function firstLine(s: string): string {
  return s.split('\n')[0] as string;
}

/** Sorted by position. Past MAX_FLOW_PROBLEMS, one last problem says how many more there are. */
function sortProblems(problems: FlowProblem[]): FlowProblem[] {
  const sorted = [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
  const next = sorted[MAX_FLOW_PROBLEMS];
  if (!next) return sorted;
  const more = sorted.length - MAX_FLOW_PROBLEMS;
  const message = `and ${more} more problem${more === 1 ? '' : 's'} from here on (only the first ${MAX_FLOW_PROBLEMS} are listed)`;
  return [...sorted.slice(0, MAX_FLOW_PROBLEMS), { ...(next.file ? { file: next.file } : {}), line: next.line, column: next.column, path: [], message }];
}

