/**
 * Under the run's title while approval phases wait (the run may still be running other
 * phases, or be `waiting`): which ones, each a button that opens it in the inspector,
 * where the reviewer approves or rejects.
 */
import { useShallow } from 'zustand/react/shallow';
import { useCommands } from '../../app/commands-context';
import { useWaymark } from '../../state/store';

export function ApprovalsWaiting() {
  const commands = useCommands();
  const waiting = useWaymark(
    useShallow((s) => (s.view ? s.view.order.filter((id) => s.view?.phases[id]?.status === 'waiting' && s.view.phases[id]?.waiting?.reason === 'approval') : [])),
  );
  if (waiting.length === 0) return null;
  return (
    <p className="approvals-waiting" role="status" data-testid="approvals-waiting">
      <span className="approvals-waiting-mark" aria-hidden="true">
        ⚑
      </span>
      Waiting for your approval:
      {waiting.map((id) => (
        <button key={id} type="button" className="button small approvals-waiting-phase" onClick={() => commands.selectPhase(id)} aria-label={`Review phase ${id}`} data-testid={`review-${id}`}>
          <code>{id}</code> Review
        </button>
      ))}
    </p>
  );
}
