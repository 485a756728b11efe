/**
 * Graph edits applied to a flow file's text through the `yaml` Document API, so
 * comments, key order and the formatting of untouched parts survive. Each edit takes
 * the source and returns the new source (undo/redo is a stack of sources), or a refusal
 * with a message for the user. Edits do not validate the result; the loader does.
 */
import { isMap, isScalar, isSeq, parseDocument, type Document, type YAMLMap, type YAMLSeq } from 'yaml';
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
  return result ?? { ok: true, source: doc.toString(STRINGIFY) };
}

function apply(doc: Document, phases: YAMLSeq, edit: FlowEdit): EditResult | undefined {
  const ids = phaseIds(phases);
  const find = (id: string) => phases.items.find((p) => isMap(p) && p.get('id') === id) as YAMLMap | undefined;
  switch (edit.type) {
    case 'add-phase': {
      if (!PHASE_ID_PATTERN.test(edit.id)) return refuse(`"${edit.id}" is not a valid id: use a-z, 0-9, "_" and "-"`);
      if (ids.includes(edit.id)) return refuse(`a phase "${edit.id}" already exists`);
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
      else if (isScalar(phase.get(edit.key, true)) && !isObject(edit.value)) (phase.get(edit.key, true) as { value: unknown }).value = edit.value;
      else phase.set(edit.key, doc.createNode(edit.value));
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

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

function refuse(message: string): EditResult {
  return { ok: false, message };
}
