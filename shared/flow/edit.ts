/**
 * Graph edits applied to a flow file's text through the `yaml` Document API, so
 * comments, key order and the formatting of untouched parts survive. Each edit takes
 * the source and returns the new source (undo/redo is a stack of sources), or a refusal
 * with a message for the user. Edits do not validate the result; the loader does.
 *
 * Lines an edit does not touch are copied from the input byte for byte (see
 * `keepUntouchedLines`), so saving from the editor changes only the lines it must.
 */
import { isMap, isScalar, isSeq, parseDocument, type Document, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { wouldCreateCycle } from './graph';
import { PHASE_ID_PATTERN, type PhaseKind } from './schema';
import { renamePhaseInTemplate } from './template';

export type EditResult = { ok: true; source: string } | { ok: false; message: string };

export type FlowEdit =
  | { type: 'add-phase'; id: string; kind: PhaseKind; position?: { x: number; y: number } }
  | { type: 'delete-phase'; id: string }
  | { type: 'rename-phase'; from: string; to: string }
  | { type: 'add-dependency'; phase: string; dependsOn: string }
  | { type: 'remove-dependency'; phase: string; dependsOn: string }
  | { type: 'set-field'; phase: string; key: string; value: unknown }
  | { type: 'move-phases'; positions: Record<string, { x: number; y: number }> };

/** Fields a new phase starts with, per kind: the minimum the schema requires. */
const NEW_PHASE_FIELDS: Record<PhaseKind, Record<string, string>> = {
  agent: { prompt: 'Describe the task for the model.' },
  command: { run: 'echo "TODO"' },
  approval: { prompt: 'What should the reviewer check before the flow goes on?' },
};

const TEMPLATED_KEYS = ['prompt', 'system', 'run'];

/** Conservative output: never fold long lines, `[a, b]` without padding. */
const STRINGIFY = { lineWidth: 0, minContentWidth: 0, flowCollectionPadding: false } as const;

export function applyEdit(source: string, edit: FlowEdit): EditResult {
  const doc = parseDocument(source);
  if (doc.errors.length > 0) return refuse(`fix the YAML syntax error first: ${doc.errors[0]?.message.split('\n')[0]}`);
  const phases = doc.get('phases', true);
  if (!isSeq(phases)) return refuse('the flow has no `phases:` list');
  const result = apply(doc, phases as YAMLSeq, edit);
  if (result) return result;
  return { ok: true, source: keepUntouchedLines(source, parseDocument(source).toString(STRINGIFY), doc.toString(STRINGIFY)) };
}

function apply(doc: Document, phases: YAMLSeq, edit: FlowEdit): EditResult | undefined {
  const ids = phaseIds(phases);
  const find = (id: string) => phases.items.find((p) => isMap(p) && p.get('id') === id) as YAMLMap | undefined;
  switch (edit.type) {
    case 'add-phase': {
      if (!PHASE_ID_PATTERN.test(edit.id)) return refuse(`"${edit.id}" is not a valid id: use a-z, 0-9, "_" and "-"`);
      if (ids.includes(edit.id)) return refuse(`a phase "${edit.id}" already exists`);
      // `phases: []` (every phase deleted) grows back as a block list.
      if (phases.items.length === 0) phases.flow = false;
      phases.add(doc.createNode({ id: edit.id, kind: edit.kind, ...NEW_PHASE_FIELDS[edit.kind] }));
      if (edit.position) setLayout(doc, edit.id, edit.position);
      return undefined;
    }
    case 'delete-phase': {
      const index = phases.items.findIndex((p) => isMap(p) && p.get('id') === edit.id);
      if (index < 0) return refuse(`no phase "${edit.id}"`);
      phases.delete(index);
      for (const phase of phases.items) if (isMap(phase)) removeFromDeps(phase, edit.id);
      deleteLayout(doc, edit.id);
      return undefined;
    }
    case 'rename-phase': {
      const phase = find(edit.from);
      if (!phase) return refuse(`no phase "${edit.from}"`);
      if (edit.to === edit.from) return undefined;
      if (!PHASE_ID_PATTERN.test(edit.to)) return refuse(`"${edit.to}" is not a valid id: use a-z, 0-9, "_" and "-"`);
      if (ids.includes(edit.to)) return refuse(`a phase "${edit.to}" already exists`);
      phase.set('id', edit.to);
      for (const other of phases.items) if (isMap(other)) renameReferences(other, edit.from, edit.to);
      const layout = doc.getIn(['layout', edit.from]);
      if (layout !== undefined) {
        doc.setIn(['layout', edit.to], doc.getIn(['layout', edit.from], true));
        deleteLayout(doc, edit.from);
      }
      return undefined;
    }
    case 'add-dependency': {
      const phase = find(edit.phase);
      if (!phase || !ids.includes(edit.dependsOn)) return refuse(`no phase "${phase ? edit.dependsOn : edit.phase}"`);
      const graph = phases.items.filter(isMap).map((p) => ({ id: String(p.get('id')), depends_on: depsOf(p) }));
      const cycle = wouldCreateCycle(graph, edit.dependsOn, edit.phase);
      if (cycle) return refuse(`"${edit.phase}" cannot depend on "${edit.dependsOn}": that would make a cycle (${cycle.join(' → ')})`);
      if (depsOf(phase).includes(edit.dependsOn)) return undefined;
      const deps = phase.get('depends_on', true);
      if (isSeq(deps)) deps.add(doc.createNode(edit.dependsOn));
      else {
        const seq = doc.createNode([edit.dependsOn]) as YAMLSeq;
        seq.flow = true;
        phase.set('depends_on', seq);
      }
      return undefined;
    }
    case 'remove-dependency': {
      const phase = find(edit.phase);
      if (!phase) return refuse(`no phase "${edit.phase}"`);
      removeFromDeps(phase, edit.dependsOn);
      return undefined;
    }
    case 'set-field': {
      const phase = find(edit.phase);
      if (!phase) return refuse(`no phase "${edit.phase}"`);
      if (edit.key === 'id') return apply(doc, phases, { type: 'rename-phase', from: edit.phase, to: String(edit.value) });
      if (edit.value === undefined || edit.value === '' || (Array.isArray(edit.value) && edit.value.length === 0 && edit.key !== 'depends_on')) phase.delete(edit.key);
      else if (isScalar(phase.get(edit.key, true)) && !isObject(edit.value)) setScalar(phase.get(edit.key, true) as Scalar, edit.value);
      else phase.set(edit.key, createValue(doc, edit.value, phase.get(edit.key, true)));
      return undefined;
    }
    case 'move-phases': {
      for (const [id, pos] of Object.entries(edit.positions)) if (ids.includes(id)) setLayout(doc, id, pos);
      return undefined;
    }
  }
}

function phaseIds(phases: YAMLSeq): string[] {
  return phases.items.filter(isMap).map((p) => String(p.get('id')));
}

function depsOf(phase: YAMLMap): string[] {
  const deps = phase.get('depends_on', true);
  return isSeq(deps) ? deps.items.map((d) => String(isScalar(d) ? d.value : d)) : [];
}

function removeFromDeps(phase: YAMLMap, id: string): void {
  const deps = phase.get('depends_on', true);
  if (!isSeq(deps)) return;
  const index = deps.items.findIndex((d) => isScalar(d) && d.value === id);
  if (index >= 0) deps.delete(index);
  if (deps.items.length === 0) phase.delete('depends_on');
}

function renameReferences(phase: YAMLMap, from: string, to: string): void {
  const deps = phase.get('depends_on', true);
  if (isSeq(deps)) for (const d of deps.items) if (isScalar(d) && d.value === from) d.value = to;
  for (const key of TEMPLATED_KEYS) {
    const node = phase.get(key, true);
    if (isScalar(node) && typeof node.value === 'string') node.value = renamePhaseInTemplate(node.value, from, to);
  }
  const env = phase.get('env', true);
  if (isMap(env)) for (const pair of env.items) if (isScalar(pair.value) && typeof pair.value.value === 'string') pair.value.value = renamePhaseInTemplate(pair.value.value, from, to);
}

function setLayout(doc: Document, id: string, pos: { x: number; y: number }): void {
  const node = doc.createNode({ x: Math.round(pos.x), y: Math.round(pos.y) }) as YAMLMap;
  node.flow = true;
  if (!isMap(doc.get('layout', true))) {
    const layout = doc.createNode({}) as YAMLMap;
    layout.commentBefore = ' Editor node positions (written by Waymark; safe to delete).';
    doc.set('layout', layout);
  }
  doc.setIn(['layout', id], node);
}

function deleteLayout(doc: Document, id: string): void {
  const layout = doc.get('layout', true);
  if (!isMap(layout)) return;
  layout.delete(id);
  if (layout.items.length === 0) doc.delete('layout');
}

/** A new node for `value`; a list of scalars is written `[a, b]` unless it replaces a block list. */
function createValue(doc: Document, value: unknown, previous: unknown): unknown {
  const node = doc.createNode(value);
  if (isSeq(node)) node.flow = isSeq(previous) ? Boolean(previous.flow) : node.items.every(isScalar);
  if (isScalar(node)) setScalar(node, value);
  return node;
}

/** Sets a scalar's value, keeping its style; text of several lines becomes a `|` block unless it already is a block. */
function setScalar(node: Scalar, value: unknown): void {
  node.value = value;
  if (typeof value === 'string' && value.includes('\n') && node.type !== 'BLOCK_LITERAL' && node.type !== 'BLOCK_FOLDED') node.type = 'BLOCK_LITERAL';
}

/**
 * `edited` with every line the edit did not change taken verbatim from `original`.
 * yaml's stringifier normalises some spacing (`{ a: 1 }` becomes `{a: 1}`, and the
 * space before an inline comment), so a plain re-stringify would touch lines nobody
 * edited. `normalised` is `original` stringified without the edit: when its lines align
 * one to one with `original`'s (checked, ignoring whitespace), a line diff between it
 * and `edited` tells which lines the edit touched. Otherwise `edited` is returned as is.
 */
export function keepUntouchedLines(original: string, normalised: string, edited: string): string {
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  const trailing = original.endsWith('\n');
  const lines = (text: string) => (trailing || !text.endsWith('\n') ? text : text.slice(0, -1)).split(/\r?\n/);
  const src = original.split(/\r?\n/);
  const base = lines(normalised);
  const out = lines(edited);
  if (src.length !== base.length || src.some((line, i) => squash(line) !== squash(base[i] as string))) return edited;
  const kept = matchLines(base, out);
  return out.map((line, j) => src[kept.get(j) ?? -1] ?? line).join(eol);
}

/** Index pairs (edited line → base line) of lines left unchanged: common ends, then an LCS of the middle. */
function matchLines(base: readonly string[], out: readonly string[]): Map<number, number> {
  const pairs = new Map<number, number>();
  let start = 0;
  while (start < base.length && start < out.length && base[start] === out[start]) pairs.set(start, start++);
  let endB = base.length;
  let endO = out.length;
  while (endB > start && endO > start && base[endB - 1] === out[endO - 1]) pairs.set(--endO, --endB);
  const n = endB - start;
  const m = endO - start;
  if (n === 0 || m === 0 || n * m > 4_000_000) return pairs;
  // lcs[i][j]: length of the longest common subsequence of base[start+i..] and out[start+j..].
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = base[start + i] === out[start + j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (base[start + i] === out[start + j]) pairs.set(start + j++, start + i++);
    else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}

function squash(line: string): string {
  return line.replace(/\s+/g, '');
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

function refuse(message: string): EditResult {
  return { ok: false, message };
}
