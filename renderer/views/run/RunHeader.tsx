/**
 * The open run's identity, figures (tokens, cost, budget), who runs it, and actions
 * (Cancel while running, Resume when resumable; a waiting run says what it waits for).
 */
import { ownerLabel } from '../../../shared/owner';
import { isResumable } from '../../../shared/status';
import { useCommands } from '../../app/commands-context';
import { useWaymark } from '../../state/store';
import { formatStart } from '../../util/format';
import { StatusBadge } from '../common/StatusBadge';
import { ApprovalsWaiting } from './ApprovalsWaiting';
import { PhaseCounts } from './PhaseCounts';
import { ResumeSummary } from './ResumeSummary';
import { ReuseLine } from './ReuseLine';
import { RunSpend } from './RunSpend';
import { AttemptsControl } from './AttemptsControl';
import { RerunOrigin } from './RerunOrigin';
import { RunTiming } from './RunTiming';

export function RunHeader() {
  const commands = useCommands();
  const run = useWaymark((s) => s.view?.run);
  // Events do not carry owners: the runs list, reloaded when a run changes hands, does.
  const owner = useWaymark((s) => ownerLabel(s.runs.find((r) => r.id === s.view?.runId)?.owner ?? s.view?.run.owner ?? null));
  const live = useWaymark((s) => s.view?.live ?? false);
  const budget = useWaymark((s) => s.view?.budget ?? null);
  const reuse = useWaymark((s) => s.view?.reuse ?? null);
  if (!run) return null;
  // A waiting run goes on with a decision or a higher budget (ApprovalsWaiting, BudgetBanner).
  const resumable = isResumable(run.status) && run.status !== 'waiting';
  return (
    <header className="run-header">
      <div className="run-title">
        <h1>{run.flowName}</h1>
        <StatusBadge status={run.status} />
        <span className="muted run-id" title="Run id">
          {run.id}
        </span>
        <AttemptsControl />
        <div className="run-actions">
          {run.status === 'running' && (
            <CancelButton onCancel={() => void commands.cancelRun(run.id)} elsewhere={live ? null : (owner ?? 'another process')} />
          )}
          {/* No process holds a queued or waiting run: any window may cancel it. */}
          {(run.status === 'queued' || run.status === 'waiting') && (
            <button
              type="button"
              className="button"
              onClick={() => void commands.cancelRun(run.id)}
              title={run.status === 'queued' ? 'Take it off the queue: no worker will run it' : 'Stop waiting: the run ends cancelled, and a resume asks again'}
              data-testid="cancel-run"
            >
              Cancel
            </button>
          )}
          {resumable && (
            <button type="button" className="button primary" onClick={() => void commands.resumeRun(run.id)} data-testid="resume-run">
              Resume
            </button>
          )}
        </div>
      </div>
      <dl className="run-facts">
        <div>
          <dt>Started</dt>
          <dd>{formatStart(run.createdAt)}</dd>
        </div>
        {run.rerunOf && <RerunOrigin origin={run.rerunOf} />}
        <RunTiming run={run} />
        <RunSpend run={run} budget={budget} />
        {(owner || run.status === 'queued') && (
          <div>
            <dt>Runs on</dt>
            <dd data-testid="run-owner">{owner ?? 'waiting for a worker'}</dd>
          </div>
        )}
        <div>
          <dt>Phases</dt>
          <dd className="num">
            <PhaseCounts />
          </dd>
        </div>
      </dl>
      {run.error && (
        <p className={`run-error tone-${run.status}`} role="alert" data-testid="run-error">
          {run.error.message}
        </p>
      )}
      {reuse && <ReuseLine reuse={reuse} />}
      <ApprovalsWaiting />
      {resumable && <ResumeSummary runId={run.id} lastSeq={run.lastSeq} />}
    </header>
  );
}

/**
 * Cancel works only in the process executing the run; for a run another process
 * executes (the CLI, a worker, another window) it is disabled and says why.
 */
function CancelButton({ onCancel, elsewhere }: { onCancel: () => void; elsewhere: string | null }) {
  if (elsewhere === null) {
    return (
      <button type="button" className="button danger" onClick={onCancel} data-testid="cancel-run">
        Cancel
      </button>
    );
  }
  const reason = `This run is executed by ${elsewhere}, not by this app: stop it there (Ctrl+C in its terminal, or stop the worker).`;
  return (
    <span className="cancel-elsewhere" title={reason}>
      <button type="button" className="button danger" disabled aria-describedby="cancel-reason" data-testid="cancel-run">
        Cancel
      </button>
      <span id="cancel-reason" className="visually-hidden">
        {reason}
      </span>
    </span>
  );
}
