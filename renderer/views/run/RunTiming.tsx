/**
 * A run's duration (SPEC §5 History): the sum of its attempts' active time, counting up
 * while an attempt runs; the wall time since it was created beside it when different
 * (waits for a person, time before a resume). A crashed attempt ends at its owner's last
 * heartbeat, not when the crash was found (shared/run-time.ts).
 */
import { formatDuration } from '../../../shared/duration';
import type { RunRecord } from '../../../shared/records';
import { runActiveMs, runWallMs } from '../../../shared/run-time';
import { useNow } from '../../util/use-now';

export function RunTiming({ run }: { run: RunRecord }) {
  const now = useNow(run.status === 'running');
  const active = formatDuration(runActiveMs(run, now));
  const wall = formatDuration(runWallMs(run, now));
  return (
    <>
      <div>
        <dt>Duration</dt>
        <dd className="num" data-testid="run-duration" title="The time its attempts ran, added up">
          {active}
        </dd>
      </div>
      {wall !== active && (
        <div>
          <dt>Wall time</dt>
          <dd className="num" data-testid="run-wall" title="From the start of the run to its end, waits and time between attempts included">
            {wall}
          </dd>
        </div>
      )}
    </>
  );
}

/** "12.3s (wall 2h03m)": a runs list row's tooltip for its duration. */
export function timingTitle(run: RunRecord, now: number): string {
  const active = formatDuration(runActiveMs(run, now));
  const wall = formatDuration(runWallMs(run, now));
  return wall === active ? `Ran ${active}` : `Ran ${active} over its attempts; ${wall} from start to end`;
}
