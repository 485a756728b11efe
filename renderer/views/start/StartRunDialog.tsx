/**
 * Start a run: pick a flow (flows.list), see its inputs with their defaults (flows.open),
 * start it (runs.start). A native modal <dialog>: focus stays inside, Escape closes it.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { FlowDocument, FlowFileInfo } from '../../../shared/api';
import { useCommands } from '../../app/commands-context';
import { messageOf } from '../../state/commands';
import { FlowInputs } from './FlowInputs';
import { FlowPicker } from './FlowPicker';

export function StartRunDialog({ onClose }: { onClose: () => void }) {
  const commands = useCommands();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [flows, setFlows] = useState<FlowFileInfo[] | null>(null);
  const [doc, setDoc] = useState<FlowDocument | null>(null);
  const [inputs, setInputs] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    let current = true;
    commands
      .listFlows()
      .then((list) => current && setFlows(list))
      .catch((err) => current && setError(`Could not list flows: ${messageOf(err)}`));
    return () => {
      current = false;
    };
  }, [commands]);

  const pick = async (path: string) => {
    setError(null);
    try {
      const opened = await commands.openFlow(path);
      setDoc(opened);
      setInputs(Object.fromEntries((opened.flow?.inputs ?? []).map((i) => [i.name, i.default ?? ''])));
    } catch (err) {
      setError(`Could not open ${path}: ${messageOf(err)}`);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!doc?.flow) return;
    setBusy(true);
    setError(null);
    try {
      await commands.startRun(doc.path, inputs);
      onClose();
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={dialogRef}
      className="dialog start-dialog"
      aria-labelledby="start-run-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      data-testid="start-run-dialog"
    >
      <form onSubmit={(e) => void submit(e)}>
        <header className="dialog-header">
          <h2 id="start-run-title">Start a run</h2>
          <button type="button" className="button ghost small" onClick={onClose} aria-label="Close (Escape)">
            ✕
          </button>
        </header>
        <div className="dialog-body">
          <FlowPicker flows={flows} selected={doc?.path ?? null} onPick={(p) => void pick(p)} />
          {doc && <FlowInputs doc={doc} values={inputs} onChange={setInputs} />}
          {error && (
            <p className="inline-error" role="alert">
              {error}
            </p>
          )}
        </div>
        <footer className="dialog-footer">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={!doc?.flow || busy} data-testid="start-run-submit">
            {busy ? 'Starting…' : 'Start run'}
          </button>
        </footer>
      </form>
    </dialog>
  );
}
