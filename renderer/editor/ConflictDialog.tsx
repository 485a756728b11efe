/** flows.save said FLOW_CHANGED: the file changed on disk since it was opened. The user decides. */
import { Modal } from './Modal';

export function ConflictDialog({ path, onOverwrite, onReload, onCancel }: { path: string; onOverwrite: () => void; onReload: () => void; onCancel: () => void }) {
  return (
    <Modal
      title="The file changed on disk"
      testId="conflict-dialog"
      onCancel={onCancel}
      footer={
        <>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className="button danger" onClick={onReload} data-testid="conflict-reload">
            Reload from disk
          </button>
          <button type="button" className="button primary" onClick={onOverwrite} data-testid="conflict-overwrite">
            Overwrite
          </button>
        </>
      }
    >
      <p>
        <code>{path}</code> changed on disk since you opened it. Overwrite it with your version, or reload it (your unsaved edits are dropped)?
      </p>
    </Modal>
  );
}
