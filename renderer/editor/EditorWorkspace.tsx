/** The open flow: toolbar, resume preview, the graph (or its YAML) with the palette, and the side panel. */
import { ReactFlowProvider } from '@xyflow/react';
import { useCallback, useState } from 'react';
import { useCommands } from '../app/commands-context';
import { navigate } from '../app/hash-route';
import { currentSource } from '../state/editor-slice';
import { useWaymark } from '../state/store';
import { ConflictDialog } from './ConflictDialog';
import { editorCommands } from './editor-api';
import type { SaveOutcome } from './editor-commands';
import { EditorGraph } from './EditorGraph';
import { EditorMessage } from './EditorMessage';
import { EditorToolbar, type EditorTab } from './EditorToolbar';
import { analyseFlow } from './model';
import { Palette } from './Palette';
import { PreviewBar, PreviewLegend } from './PreviewBar';
import { RunFlowDialog } from './RunFlowDialog';
import { SidePanel } from './SidePanel';
import { useEditorShortcuts } from './use-editor-shortcuts';
import { YamlTab } from './YamlTab';

export function EditorWorkspace() {
  const commands = useCommands();
  const source = useWaymark((s) => (s.editorDoc ? currentSource(s.editorDoc) : ''));
  const path = useWaymark((s) => s.editorDoc?.path ?? '');
  const previewed = useWaymark((s) => s.editorPreview);
  const clearPreview = useWaymark((s) => s.editorSetPreview);
  const analysis = analyseFlow(source, path);
  const [tab, setTab] = useState<EditorTab>('graph');
  const [busy, setBusy] = useState<'saving' | 'resuming' | null>(null);
  const [conflict, setConflict] = useState(false);
  const [running, setRunning] = useState(false);

  const settle = useCallback((outcome: SaveOutcome) => {
    if (outcome === 'conflict') setConflict(true);
  }, []);
  const save = useCallback(
    async (overwrite = false) => {
      setBusy('saving');
      settle(await editorCommands().save({ overwrite }));
      setBusy(null);
    },
    [settle],
  );
  const saveShortcut = useCallback(() => void save(), [save]);
  useEditorShortcuts(saveShortcut);

  const confirmResume = async () => {
    setBusy('resuming');
    const runId = await editorCommands().confirmResume();
    setBusy(null);
    if (runId && navigate({ view: 'runs', runId })) commands.openRun(runId);
  };

  return (
    <ReactFlowProvider>
      <section className="editor" data-testid="editor">
        <EditorToolbar
          analysis={analysis}
          tab={tab}
          onTab={setTab}
          saving={busy === 'saving'}
          onSave={() => void save()}
          onRun={() => setRunning(true)}
          onPreviewResume={(runId) => {
            setTab('graph');
            void editorCommands().previewResume(runId).then(settle);
          }}
        />
        {previewed && <PreviewBar previewed={previewed} busy={busy === 'resuming'} onConfirm={() => void confirmResume()} onCancel={() => clearPreview(null)} />}
        <div className="editor-body">
          <div className="editor-canvas">
            {tab === 'graph' ? (
              <>
                <Palette model={analysis.model} />
                <EditorGraph analysis={analysis} />
                {previewed && <PreviewLegend />}
              </>
            ) : (
              <YamlTab analysis={analysis} />
            )}
            <EditorMessage />
          </div>
          <SidePanel analysis={analysis} />
        </div>
        {conflict && (
          <ConflictDialog
            path={path}
            onCancel={() => setConflict(false)}
            onOverwrite={() => {
              setConflict(false);
              void save(true);
            }}
            onReload={() => {
              setConflict(false);
              void editorCommands().reload();
            }}
          />
        )}
        {running && <RunFlowDialog onClose={() => setRunning(false)} onSaveOutcome={settle} />}
      </section>
    </ReactFlowProvider>
  );
}
