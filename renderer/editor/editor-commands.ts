/**
 * What the editor asks of the API: open, create, save (refusing invalid flows, and
 * reporting a file changed on disk as a conflict for the user to settle), preview a
 * resume with the saved definition, and resume. Refusals become editor messages.
 */
import type { FlowDocument, FlowFileInfo, WaymarkApi } from '../../shared/api';
import { messageOf } from '../state/commands';
import { currentSource, isDirty } from '../state/editor-slice';
import type { WaymarkStore } from '../state/store';
import { analyseFlow } from './model';
import { newFlowSource } from './new-flow';

/** `conflict`: the file changed on disk since it was opened; ask, then save with `overwrite` or reload. */
export type SaveOutcome = 'saved' | 'unchanged' | 'invalid' | 'conflict' | 'failed';

export interface EditorCommands {
  listFlows(): Promise<FlowFileInfo[]>;
  /** Desktop only: the OS file dialog; the chosen path, or null when cancelled. */
  pickFlow(): Promise<string | null>;
  /** Opens a file (throws what the API threw). */
  open(path: string): Promise<void>;
  /** Starts a new, unsaved flow at `path`. */
  create(path: string): void;
  /** Re-reads the open file from disk, dropping the edits. */
  reload(): Promise<void>;
  save(options?: { overwrite?: boolean }): Promise<SaveOutcome>;
  /** The saved flow as the server reads it (inputs for the run form). */
  readSaved(): Promise<FlowDocument | null>;
  /** Saves if needed, then draws runs.previewResume on the graph. */
  previewResume(runId: string): Promise<SaveOutcome>;
  /** Resumes the previewed run; returns its id, or null when it was refused (with a message). */
  confirmResume(): Promise<string | null>;
}

export function createEditorCommands(api: WaymarkApi, store: WaymarkStore): EditorCommands {
  const s = () => store.getState();
  const say = (text: string) => s().editorSetMessage({ tone: 'error', text });

  const open = async (path: string) => {
    const doc = await api['flows.open']({ path });
    s().editorOpen(doc);
  };

  const save: EditorCommands['save'] = async ({ overwrite = false } = {}) => {
    const doc = s().editorDoc;
    if (!doc) return 'failed';
    if (!isDirty(doc) && !overwrite) return 'unchanged';
    const source = currentSource(doc);
    const { valid, problems } = analyseFlow(source, doc.path);
    if (!valid) {
      say(`Not saved: the flow has ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'} (listed in the side panel).`);
      return 'invalid';
    }
    try {
      const saved = await api['flows.save']({ path: doc.path, source, expectedMtimeMs: doc.mtimeMs, overwrite });
      if (s().editorDoc?.path === doc.path) s().editorSaved({ source, mtimeMs: saved.mtimeMs });
      return 'saved';
    } catch (err) {
      if (errorCode(err) === 'FLOW_CHANGED') return 'conflict';
      say(`Could not save ${doc.path}: ${messageOf(err)}`);
      return 'failed';
    }
  };

  return {
    listFlows: () => api['flows.list']({}),
    pickFlow: async () => (await api['flows.pick']({}))?.path ?? null,
    open,
    create: (path) => s().editorOpen({ path, source: newFlowSource(path), mtimeMs: 0 }, { isNew: true }),
    async reload() {
      const doc = s().editorDoc;
      if (doc) await open(doc.path).catch((err) => say(`Could not reload ${doc.path}: ${messageOf(err)}`));
    },
    save,
    async readSaved() {
      const doc = s().editorDoc;
      if (!doc) return null;
      try {
        return await api['flows.open']({ path: doc.path });
      } catch (err) {
        say(`Could not read ${doc.path}: ${messageOf(err)}`);
        return null;
      }
    },
    async previewResume(runId) {
      const saved = await save();
      if (saved !== 'saved' && saved !== 'unchanged') return saved;
      try {
        const preview = await api['runs.previewResume']({ runId });
        s().editorSetPreview({ runId, preview });
        s().editorSelect(null); // the side panel shows the flow, the graph shows the preview
        return saved;
      } catch (err) {
        say(`Could not preview the resume of run ${runId}: ${messageOf(err)}`);
        return 'failed';
      }
    },
    async confirmResume() {
      const previewed = s().editorPreview;
      if (!previewed) return null;
      try {
        await api['runs.resume']({ runId: previewed.runId });
        s().editorSetPreview(null);
        return previewed.runId;
      } catch (err) {
        say(`Could not resume run ${previewed.runId}: ${messageOf(err)}`);
        return null;
      }
    },
  };
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}
