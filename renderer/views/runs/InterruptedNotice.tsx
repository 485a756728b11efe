/** At launch: "these runs stopped without finishing" — the first thing a user should see after a crash. */
import { useWaymark } from '../../state/store';

export function InterruptedNotice() {
  const count = useWaymark((s) => s.interruptedAtLaunch.length);
  const dismiss = useWaymark((s) => s.dismissInterrupted);
  if (count === 0) return null;
  return (
    <div className="interrupted-notice" role="status" data-testid="interrupted-notice">
      <span>
        {count === 1 ? '1 run was' : `${count} runs were`} interrupted. Completed phases are saved: resume to continue.
      </span>
      <button type="button" className="button ghost small" onClick={dismiss} aria-label="Dismiss">
        ✕
      </button>
    </div>
  );
}
