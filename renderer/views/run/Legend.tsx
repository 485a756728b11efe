/** What the node colours mean. */
const ENTRIES = [
  ['succeeded', 'Succeeded'],
  ['running', 'Running'],
  ['failed', 'Failed'],
  ['interrupted', 'Interrupted'],
  ['waiting', 'Waiting for a person'],
  ['frontier', 'Frontier (resumes first)'],
  ['pending', 'Pending'],
  ['skipped', 'Skipped'],
] as const;

export function Legend() {
  return (
    <ul className="legend" aria-label="Legend">
      {ENTRIES.map(([state, label]) => (
        <li key={state} className={`legend-item state-${state}`}>
          <span className="legend-swatch" aria-hidden="true" />
          {label}
        </li>
      ))}
    </ul>
  );
}
