/**
 * What a person can do from a phase (SPEC §4): an interrupted agent phase of a resumable
 * run offers Continue (the default: resume the run, continuing its saved conversation)
 * and Restart phase (resume with `restartPhase`: it starts over); and any run that is not
 * running offers "Run again from here": a preview of what a new run would reuse and
 * run (RerunDialog), then the new run.
 */
import { useState } from 'react';
import type { PhaseRecord } from '../../../shared/records';
import { isResumable } from '../../../shared/status';
import { useCommands } from '../../app/commands-context';
import { useWaymark } from '../../state/store';
import { RerunDialog } from '../run/RerunDialog';
import '../../styles/history.css';

export function PhaseActions({ phase }: { phase: PhaseRecord }) {
  const commands = useCommands();
  const run = useWaymark((s) => s.view?.run);
  const [rerunning, setRerunning] = useState(false);
  if (!run) return null;
  const continuable = phase.kind === 'agent' && phase.status === 'interrupted' && isResumable(run.status) && run.status !== 'waiting';
  const rerunnable = run.status !== 'running' && run.status !== 'queued';
  if (!continuable && !rerunnable) return null;
  return (
    <section className="phase-actions" data-testid="phase-actions">
      {continuable && (
        <div className="continue-choice" role="group" aria-labelledby="continue-choice-text">
          <p id="continue-choice-text">This agent phase was interrupted. Its conversation is saved: continue it, or start the phase over.</p>
          <div className="continue-buttons">
            <button type="button" className="button primary small" onClick={() => void commands.resumeRun(run.id)} data-testid="continue-phase">
              Continue
            </button>
            <button type="button" className="button small" onClick={() => void commands.resumeRun(run.id, phase.phaseId)} data-testid="restart-phase" title="Resume the run with this phase started from scratch: its saved conversation is not continued">
              Restart phase
            </button>
          </div>
        </div>
      )}
      {rerunnable && (
        <button type="button" className="button small" onClick={() => setRerunning(true)} data-testid="rerun-from-here" title="A new run that reuses what is upstream and runs this phase and everything after it">
          ↻ Run again from here
        </button>
      )}
      {rerunning && <RerunDialog runId={run.id} flowName={run.flowName} phaseId={phase.phaseId} onClose={() => setRerunning(false)} />}
    </section>
  );
}
