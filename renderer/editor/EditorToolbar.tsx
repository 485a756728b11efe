/** The open file and what can be done with it: undo/redo, Graph/YAML, save, run, resume a failed run with this definition. */
import { useState } from 'react';
import { navigate } from '../app/hash-route';
import { canRedo, canUndo, isDirty } from '../state/editor-slice';
import { useWaymark } from '../state/store';
import { formatStart } from '../util/format';
import { resumableRunsOf } from './flow-runs';
import type { FlowAnalysis } from './model';

export type EditorTab = 'graph' | 'yaml';

interface Props {
  analysis: FlowAnalysis;
  tab: EditorTab;
  onTab: (tab: EditorTab) => void;
  saving: boolean;
  onSave: () => void;
  onRun: () => void;
  onPreviewResume: (runId: string) => void;
}

export function EditorToolbar({ analysis, tab, onTab, saving, onSave, onRun, onPreviewResume }: Props) {
  const doc = useWaymark((s) => s.editorDoc);
  const undo = useWaymark((s) => s.editorUndo);
  const redo = useWaymark((s) => s.editorRedo);
  const runs = useWaymark((s) => s.runs);
  const previewing = useWaymark((s) => s.editorPreview !== null);
  const [chosenRun, setChosenRun] = useState<string | null>(null);
  if (!doc) return null;
  const dirty = isDirty(doc);
  const resumable = resumableRunsOf(runs, doc.path);
  const runId = resumable.find((r) => r.id === chosenRun)?.id ?? resumable[0]?.id ?? null;
  const problems = analysis.problems.length;
  const saveTitle = problems > 0 ? `Fix ${problems} ${problems === 1 ? 'problem' : 'problems'} first` : dirty ? 'Save (Ctrl+S)' : 'No unsaved changes';
  return (
    <header className="editor-toolbar">
      <div className="editor-file">
        <button type="button" className="button ghost small open-other" onClick={() => navigate({ view: 'editor', path: null })} title="Open another flow file">
          ‹ Files
        </button>
        <span className="editor-path" title={doc.path} data-testid="editor-path">
          {doc.path}
        </span>
        {dirty ? (
          <span className="unsaved" data-testid="unsaved-mark" title="Unsaved changes">
            <span className="unsaved-dot" aria-hidden="true" />
            {doc.isNew ? 'new, unsaved' : 'unsaved'}
          </span>
        ) : (
          <span className="saved muted" data-testid="saved-mark">
            saved
          </span>
        )}
      </div>
      <div className="toolbar-group" role="group" aria-label="History">
        <button type="button" className="button small" onClick={undo} disabled={!canUndo(doc)} title="Undo (Ctrl+Z)" data-testid="undo">
          ↶ Undo
        </button>
        <button type="button" className="button small" onClick={redo} disabled={!canRedo(doc)} title="Redo (Shift+Ctrl+Z)" data-testid="redo">
          ↷ Redo
        </button>
      </div>
      <div className="toolbar-group tabs" role="tablist" aria-label="View">
        {(['graph', 'yaml'] as const).map((t) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} className={`tab${tab === t ? ' active' : ''}`} onClick={() => onTab(t)} data-testid={`tab-${t}`}>
            {t === 'graph' ? 'Graph' : 'YAML'}
          </button>
        ))}
      </div>
      <span className={`validity ${problems > 0 ? 'bad' : 'good'}`} data-testid="validity">
        {problems > 0 ? `${problems} ${problems === 1 ? 'problem' : 'problems'}` : 'valid'}
      </span>
      <div className="toolbar-actions">
        <button type="button" className="button primary" onClick={onSave} disabled={saving || problems > 0 || !dirty} title={saveTitle} data-testid="save">
          {saving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="button" onClick={onRun} disabled={problems > 0} title={problems > 0 ? 'Fix the problems first' : 'Start a run of this flow (saves first)'} data-testid="run-flow">
          ▶ Run
        </button>
        {runId && (
          <span className="resume-group">
            {resumable.length > 1 && (
              <select aria-label="Run to resume" value={runId} onChange={(e) => setChosenRun(e.target.value)} data-testid="resume-run-choice">
                {resumable.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.id} · {r.status} · {formatStart(r.createdAt)}
                  </option>
                ))}
              </select>
            )}
            <button
              type="button"
              className="button"
              disabled={problems > 0 || previewing}
              onClick={() => onPreviewResume(runId)}
              title={`Preview resuming run ${runId} (${resumable[0]?.status}) with this definition`}
              data-testid="resume-with-definition"
            >
              ⟲ Resume with this definition…
            </button>
          </span>
        )}
      </div>
    </header>
  );
}
