/** Run the open flow: saved first, then its inputs (the start dialog's form), then runs.start; the run view opens. */
import { useEffect, useState } from 'react';
import type { FlowDocument } from '../../shared/api';
import { useCommands } from '../app/commands-context';
import { navigate } from '../app/hash-route';
import { messageOf } from '../state/commands';
import { FlowInputs } from '../views/start/FlowInputs';
import { editorCommands } from './editor-api';
import type { SaveOutcome } from './editor-commands';
import { Modal } from './Modal';

export function RunFlowDialog({ onClose, onSaveOutcome }: { onClose: () => void; onSaveOutcome: (outcome: SaveOutcome) => void }) {
  const commands = useCommands();
  const [doc, setDoc] = useState<FlowDocument | null>(null);
  const [inputs, setInputs] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let current = true;
    void (async () => {
      const saved = await editorCommands().save();
      if (!current) return;
      if (saved !== 'saved' && saved !== 'unchanged') {
        onSaveOutcome(saved);
        onClose();
        return;
      }
      const opened = await editorCommands().readSaved();
      if (!current || !opened) return;
      setDoc(opened);
      setInputs(Object.fromEntries((opened.flow?.inputs ?? []).map((i) => [i.name, i.default ?? ''])));
    })();
    return () => {
      current = false;
    };
    // Once per opening of the dialog.
  }, []);

  const start = async () => {
    if (!doc?.flow) return;
    setBusy(true);
    try {
      const runId = await commands.startRun(doc.path, inputs);
      onClose();
      navigate({ view: 'runs', runId });
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };

  return (
    <Modal
      title={`Run ${doc?.flow?.name ?? 'flow'}`}
      testId="run-flow-dialog"
      onCancel={onClose}
      onSubmit={() => void start()}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={!doc?.flow || busy} data-testid="run-flow-submit">
            {busy ? 'Starting…' : 'Start run'}
          </button>
        </>
      }
    >
      {doc ? <FlowInputs doc={doc} values={inputs} onChange={setInputs} /> : <p className="muted">Saving…</p>}
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
    </Modal>
  );
}
