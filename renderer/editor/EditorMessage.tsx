/** A refused edit (a cycle, a taken id) or a failed save, over the graph until dismissed or the next change. */
import { useWaymark } from '../state/store';

export function EditorMessage() {
  const message = useWaymark((s) => s.editorMessage);
  const dismiss = useWaymark((s) => s.editorSetMessage);
  if (!message) return null;
  return (
    <div className={`editor-message tone-${message.tone}`} role="alert">
      <span data-testid="editor-message">{message.text}</span>
      <button type="button" className="button ghost small" onClick={() => dismiss(null)} aria-label="Dismiss">
        ✕
      </button>
    </div>
  );
}
