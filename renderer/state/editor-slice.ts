/**
 * The flow editor's state. A document is a stack of whole source texts: every edit
 * (through `applyEdit`, the one YAML-editing path) pushes the new text, undo and redo
 * move along the stack. "Unsaved" means the current text differs from the text on disk
 * as of the last open or save, so undoing back to it clears the mark.
 */
import type { ResumePreview } from '../../shared/api';
import { applyEdit, type FlowEdit } from '../../shared/flow/edit';
import type { SliceCreator } from './types';

/** Undo steps kept per document; the oldest go first. */
export const HISTORY_LIMIT = 200;

export interface EditorDoc {
  path: string;
  /** The text on disk at the last open or save ('' for a new file never saved). */
  savedSource: string;
  /** The file's modification time at the last open or save; 0 for a new file. */
  mtimeMs: number;
  /** Created in the editor and not yet written. */
  isNew: boolean;
  history: readonly string[];
  index: number;
  /**
   * What made the top entry (e.g. "field:build:run"). A change with the same key
   * replaces the entry instead of pushing one, so typing into a field is one undo step.
   */
  coalesce: string | null;
}

export type EditorSelection = { type: 'phase'; id: string } | { type: 'edge'; from: string; to: string } | null;

export interface EditorMessage {
  tone: 'error' | 'info';
  text: string;
}

/** A resume preview drawn on the graph, for a run of the open flow. */
export interface EditorPreview {
  runId: string;
  preview: ResumePreview;
}

export interface EditorSlice {
  editorDoc: EditorDoc | null;
  editorSelection: EditorSelection;
  editorMessage: EditorMessage | null;
  editorPreview: EditorPreview | null;
  /**
   * Where phases added by a click are drawn while they have no saved position (until
   * dragged or tidied). Session only: not in the file, not undone, cleared on open.
   */
  editorSpots: ReadonlyMap<string, { x: number; y: number }>;
  editorOpen(file: { path: string; source: string; mtimeMs: number }, options?: { isNew?: boolean }): void;
  /** Applies edits as one undo step; false (and a message) when one is refused. */
  editorApply(edits: FlowEdit | readonly FlowEdit[], coalesce?: string): boolean;
  /** Replaces the text (the YAML tab). */
  editorSetSource(source: string, coalesce?: string): void;
  editorUndo(): void;
  editorRedo(): void;
  /** The file was written with `source`; `mtimeMs` is its new modification time. */
  editorSaved(file: { source: string; mtimeMs: number }): void;
  /** Ends coalescing, so the next change is its own undo step (a field lost focus). */
  editorBreakCoalescing(): void;
  editorSelect(selection: EditorSelection): void;
  editorSetMessage(message: EditorMessage | null): void;
  editorSetPreview(preview: EditorPreview | null): void;
  editorSetSpot(phaseId: string, position: { x: number; y: number }): void;
  editorClose(): void;
}

type EditorState = Pick<EditorSlice, 'editorDoc' | 'editorSelection' | 'editorMessage' | 'editorPreview' | 'editorSpots'>;

export function currentSource(doc: EditorDoc): string {
  return doc.history[doc.index] as string;
}

export function isDirty(doc: EditorDoc | null): boolean {
  return doc !== null && (doc.isNew || currentSource(doc) !== doc.savedSource);
}

export function canUndo(doc: EditorDoc | null): boolean {
  return doc !== null && doc.index > 0;
}

export function canRedo(doc: EditorDoc | null): boolean {
  return doc !== null && doc.index < doc.history.length - 1;
}

/** `doc` with `source` as its new current text (dropping the redo tail), or the same doc when nothing changed. */
export function pushSource(doc: EditorDoc, source: string, coalesce: string | null): EditorDoc {
  if (source === currentSource(doc)) return doc;
  const replaceTop = coalesce !== null && coalesce === doc.coalesce && doc.index === doc.history.length - 1 && doc.index > 0;
  const kept = doc.history.slice(0, replaceTop ? doc.index : doc.index + 1);
  const history = [...kept, source].slice(-HISTORY_LIMIT);
  return { ...doc, history, index: history.length - 1, coalesce };
}

/** Where the selection goes after `edits`: it follows a renamed phase and drops a deleted one. */
export function selectionAfter(selection: EditorSelection, edits: readonly FlowEdit[]): EditorSelection {
  let next = selection;
  for (const edit of edits) {
    if (next?.type === 'phase') {
      if (edit.type === 'rename-phase' && edit.from === next.id) next = { type: 'phase', id: edit.to };
      else if (edit.type === 'set-field' && edit.key === 'id' && edit.phase === next.id) next = { type: 'phase', id: String(edit.value) };
      else if (edit.type === 'delete-phase' && edit.id === next.id) next = null;
    } else if (next?.type === 'edge') {
      const gone =
        (edit.type === 'remove-dependency' && edit.phase === next.to && edit.dependsOn === next.from) ||
        (edit.type === 'delete-phase' && (edit.id === next.from || edit.id === next.to));
      if (gone) next = null;
    }
  }
  return next;
}

/** The spots after `edits`: a renamed phase keeps its spot. */
export function spotsAfter(spots: EditorSlice['editorSpots'], edits: readonly FlowEdit[]): EditorSlice['editorSpots'] {
  let next = spots;
  for (const edit of edits) {
    const [from, to] = edit.type === 'rename-phase' ? [edit.from, edit.to] : edit.type === 'set-field' && edit.key === 'id' ? [edit.phase, String(edit.value)] : [];
    const spot = from === undefined ? undefined : next.get(from);
    if (spot && to !== undefined) next = new Map([...next, [to, spot]]);
  }
  return next;
}

const CLOSED: EditorState = { editorDoc: null, editorSelection: null, editorMessage: null, editorPreview: null, editorSpots: new Map() };

export const createEditorSlice: SliceCreator<EditorSlice> = (set, get) => {
  /** A new current text: any preview was computed for the old one, so it goes. */
  const change = (doc: EditorDoc, selection: EditorSelection) =>
    set((s) => (doc === s.editorDoc ? s : { editorDoc: doc, editorSelection: selection, editorPreview: null, editorMessage: null }));
  return {
    ...CLOSED,
    editorOpen: ({ path, source, mtimeMs }, options = {}) =>
      set({
        ...CLOSED,
        editorDoc: { path, savedSource: options.isNew ? '' : source, mtimeMs: options.isNew ? 0 : mtimeMs, isNew: options.isNew ?? false, history: [source], index: 0, coalesce: null },
      }),
    editorApply: (edit, coalesce) => {
      const { editorDoc: doc, editorSelection } = get();
      if (!doc) return false;
      const edits: readonly FlowEdit[] = Array.isArray(edit) ? edit : [edit as FlowEdit];
      let source = currentSource(doc);
      for (const e of edits) {
        const result = applyEdit(source, e);
        if (!result.ok) {
          set({ editorMessage: { tone: 'error', text: result.message } });
          return false;
        }
        source = result.source;
      }
      change(pushSource(doc, source, coalesce ?? null), selectionAfter(editorSelection, edits));
      const spots = spotsAfter(get().editorSpots, edits);
      if (spots !== get().editorSpots) set({ editorSpots: spots });
      return true;
    },
    editorSetSource: (source, coalesce) => {
      const { editorDoc: doc, editorSelection } = get();
      if (doc) change(pushSource(doc, source, coalesce ?? null), editorSelection);
    },
    editorUndo: () => {
      const { editorDoc: doc, editorSelection } = get();
      if (doc && canUndo(doc)) change({ ...doc, index: doc.index - 1, coalesce: null }, editorSelection);
    },
    editorRedo: () => {
      const { editorDoc: doc, editorSelection } = get();
      if (doc && canRedo(doc)) change({ ...doc, index: doc.index + 1, coalesce: null }, editorSelection);
    },
    editorSaved: ({ source, mtimeMs }) =>
      set((s) => (s.editorDoc ? { editorDoc: { ...s.editorDoc, savedSource: source, mtimeMs, isNew: false, coalesce: null } } : s)),
    editorBreakCoalescing: () => set((s) => (s.editorDoc?.coalesce ? { editorDoc: { ...s.editorDoc, coalesce: null } } : s)),
    editorSelect: (editorSelection) => set({ editorSelection }),
    editorSetMessage: (editorMessage) => set({ editorMessage }),
    editorSetPreview: (editorPreview) => set({ editorPreview }),
    editorSetSpot: (phaseId, position) => set((s) => ({ editorSpots: new Map([...s.editorSpots, [phaseId, position]]) })),
    editorClose: () => set(CLOSED),
  };
};
