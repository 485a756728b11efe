/** "New flow": a file name under the flow folder; the flow starts as a minimal valid one, unsaved. */
import { useEffect, useState } from 'react';
import { navigate } from '../app/hash-route';
import { messageOf } from '../state/commands';
import { editorCommands } from './editor-api';
import { Modal } from './Modal';
import { newFlowPath } from './new-flow';
import { confirmDiscard } from './use-leave-guard';

export function NewFlowDialog({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [existing, setExisting] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    editorCommands()
      .listFlows()
      .then((list) => current && setExisting(list.map((f) => f.path)))
      .catch((err) => current && setError(`Could not list the flow folder: ${messageOf(err)}`));
    return () => {
      current = false;
    };
  }, []);

  const create = () => {
    const checked = newFlowPath(name, existing ?? []);
    if ('error' in checked) return setError(checked.error);
    if (!confirmDiscard()) return;
    editorCommands().create(checked.path);
    onClose();
    navigate({ view: 'editor', path: checked.path });
  };

  return (
    <Modal
      title="New flow"
      testId="new-flow-dialog"
      onCancel={onClose}
      onSubmit={create}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={existing === null} data-testid="new-flow-create">
            Create
          </button>
        </>
      }
    >
      <label className="field">
        <span className="field-label">File name</span>
        <input type="text" name="new-flow-name" value={name} placeholder="my-flow.yaml" autoFocus onChange={(e) => setName(e.target.value)} data-testid="new-flow-name" />
        <span className="field-help muted">In the flow folder; it is written when you save.</span>
      </label>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
    </Modal>
  );
}
