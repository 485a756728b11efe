/**
 * The runs list (SPEC §5): newest first, interrupted runs found at launch highlighted.
 * It stays smooth with any number of runs: only the rows in view are in the DOM
 * (RunsWindow), and older runs load a page at a time as it scrolls.
 */
import { useWaymark } from '../../state/store';
import { InterruptedNotice } from './InterruptedNotice';
import { RunsWindow } from './RunsWindow';

export function RunsList() {
  const count = useWaymark((s) => s.runs.length);
  const more = useWaymark((s) => s.runsNext !== null);
  const loaded = useWaymark((s) => s.runsLoaded);
  return (
    <nav className="runs-panel" aria-label="Runs">
      <h2 className="panel-title">
        Runs{' '}
        <span className="count" data-testid="runs-count" title={more ? 'Loaded so far: older runs load as you scroll' : undefined}>
          {loaded ? `${count.toLocaleString('en-US')}${more ? '+' : ''}` : ''}
        </span>
      </h2>
      <InterruptedNotice />
      {loaded && count === 0 && <p className="muted runs-empty">No runs yet. Start one with “New run”.</p>}
      <RunsWindow />
    </nav>
  );
}
