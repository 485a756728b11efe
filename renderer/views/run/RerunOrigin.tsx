/** Where a rerun came from (SPEC §4): the run (a link that opens it) and the phase it ran again from. */
import type { RerunOrigin as Origin } from '../../../shared/records';
import { useCommands } from '../../app/commands-context';
import '../../styles/history.css';

export function RerunOrigin({ origin }: { origin: Origin }) {
  const commands = useCommands();
  return (
    <div>
      <dt>Rerun of</dt>
      <dd className="rerun-origin" data-testid="rerun-origin">
        <button type="button" className="link-button" onClick={() => commands.openRun(origin.runId)} title="Open the run this one was started from">
          {origin.runId}
        </button>{' '}
        from <code>{origin.phase}</code>
      </dd>
    </div>
  );
}
