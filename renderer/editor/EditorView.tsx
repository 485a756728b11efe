/**
 * The editor route (`#/editor?path=…`): opens the file the address names and shows it,
 * or the file chooser when it names none. Leaving discards the document (the leave
 * guard asked first when it had unsaved edits).
 */
import { useEffect, useState } from 'react';
import { navigate } from '../app/hash-route';
import { messageOf } from '../state/commands';
import { appStore, useWaymark } from '../state/store';
import { editorCommands } from './editor-api';
import { EditorWorkspace } from './EditorWorkspace';
import { FileChooser } from './FileChooser';
import { useLeaveGuard } from './use-leave-guard';
import '../styles/editor.css';

export function EditorView({ path }: { path: string | null }) {
  const docPath = useWaymark((s) => s.editorDoc?.path ?? null);
  const [failed, setFailed] = useState<{ path: string; message: string } | null>(null);
  useLeaveGuard();

  useEffect(() => {
    if (!path || path === docPath) return;
    let current = true;
    setFailed(null);
    editorCommands()
      .open(path)
      .catch((err) => current && setFailed({ path, message: messageOf(err) }));
    return () => {
      current = false;
    };
  }, [path, docPath]);
  useEffect(() => {
    if (!path) appStore.getState().editorClose();
  }, [path]);
  useEffect(() => () => appStore.getState().editorClose(), []);

  if (!path) return <FileChooser />;
  if (failed?.path === path) {
    return (
      <div className="editor-status" role="alert">
        <p>
          Could not open <code>{path}</code>: {failed.message}
        </p>
        <button type="button" className="button" onClick={() => navigate({ view: 'editor', path: null })}>
          Choose another file
        </button>
      </div>
    );
  }
  if (docPath !== path) return <div className="editor-status muted">Opening {path}…</div>;
  return <EditorWorkspace />;
}
