/** The main area before a run is chosen. */
export function EmptyState({ onStart }: { onStart: () => void }) {
  return (
    <div className="empty-state">
      <h2>No run selected</h2>
      <p>Pick a run on the left, or start a flow.</p>
      <button type="button" className="button" onClick={onStart}>
        Start a run…
      </button>
    </div>
  );
}
