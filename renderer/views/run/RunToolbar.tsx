/** Above the open run's graph: show it as a graph or as a list of phases, and find a phase. */
import { useWaymark } from '../../state/store';
import type { RunDisplay } from '../../state/graph-slice';
import { PhaseSearch } from './PhaseSearch';

const DISPLAYS: { display: RunDisplay; label: string }[] = [
  { display: 'graph', label: 'Graph' },
  { display: 'list', label: 'List' },
];

export function RunToolbar() {
  const display = useWaymark((s) => s.runDisplay);
  const setDisplay = useWaymark((s) => s.setRunDisplay);
  return (
    <div className="run-toolbar">
      <div className="segmented" role="radiogroup" aria-label="Show phases as">
        {DISPLAYS.map((d) => (
          <button
            key={d.display}
            type="button"
            role="radio"
            aria-checked={display === d.display}
            className={`segment${display === d.display ? ' active' : ''}`}
            onClick={() => setDisplay(d.display)}
            data-testid={`show-${d.display}`}
          >
            {d.label}
          </button>
        ))}
      </div>
      <PhaseSearch />
    </div>
  );
}
