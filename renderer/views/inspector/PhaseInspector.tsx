/**
 * The phase inspector (SPEC §5): facts and timings, error, the output (for a command,
 * its log: stdout and stderr, live and saved), and the transcript. A side panel over the graph, fixed width, closed with Escape.
 */
import { useEffect, useRef } from 'react';
import { useCommands } from '../../app/commands-context';
import { useWaymark } from '../../state/store';
import { StatusBadge } from '../common/StatusBadge';
import { ApprovalPanel } from './ApprovalPanel';
import { DecisionHistory } from './DecisionHistory';
import { PhaseFacts } from './PhaseFacts';
import { LogPanel } from './LogPanel';
import { PhaseOutput } from './PhaseOutput';
import { Transcript } from './Transcript';
import { useStickToBottom } from './use-stick-to-bottom';
import { PhaseActions } from './PhaseActions';
import { TriesSection } from './TriesSection';
import { TryView } from './TryView';
import { earlierTry } from '../../state/tries-slice';

export function PhaseInspector() {
  const commands = useCommands();
  const bodyRef = useRef<HTMLDivElement>(null);
  const phaseId = useWaymark((s) => s.selectedPhaseId);
  const phase = useWaymark((s) => (s.selectedPhaseId ? s.view?.phases[s.selectedPhaseId] : undefined));
  const frontier = useWaymark((s) => (s.selectedPhaseId ? (s.view?.frontier.includes(s.selectedPhaseId) ?? false) : false)) && phase?.status !== 'waiting';
  const runId = useWaymark((s) => s.view?.runId);
  const optional = useWaymark((s) => (s.selectedPhaseId ? (s.view?.optional.has(s.selectedPhaseId) ?? false) : false));
  const earlier = useWaymark((s) => earlierTry(s, phase?.attempts ?? 0));
  useStickToBottom(bodyRef, phase ? phaseId : null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || document.querySelector('dialog[open]')) return;
      commands.selectPhase(null);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [commands]);

  if (!phaseId || !phase) return null;
  return (
    <aside className="inspector" aria-label={`Phase ${phaseId}`} data-testid="inspector" data-phase-id={phaseId}>
      <header className="inspector-header">
        <div className="inspector-title">
          <h2>{phaseId}</h2>
          <span className="muted">{phase.kind}</span>
          <StatusBadge status={phase.status} />
          {frontier && <span className="frontier-chip">resumes here</span>}
          {optional && (
            <span className="optional-mark" data-testid="optional-mark">
              optional
            </span>
          )}
        </div>
        <button type="button" className="button ghost small" onClick={() => commands.selectPhase(null)} aria-label="Close inspector (Escape)">
          ✕
        </button>
      </header>
      <div className="inspector-body" ref={bodyRef}>
        <PhaseActions phase={phase} />
        <TriesSection phase={phase} />
        {/* An earlier try chosen in Tries shows whole instead of the phase as it stands. */}
        {earlier ? (
          <TryView phase={phase} tried={earlier} latest={phase.attempts} />
        ) : (
          <>
            {/* A new try that waits is a new question: a fresh form. */}
            {phase.kind === 'approval' && runId && <ApprovalPanel key={`${phaseId}#${phase.attempts}`} runId={runId} phase={phase} />}
            <PhaseFacts phase={phase} />
            {phase.error && (
              <section className="inspector-section">
                <h3>Error</h3>
            {optional && phase.status === 'failed' && <p className="muted">Optional phase: the run went on without it; phases that depend on it were skipped.</p>}
                {/* The code is for --json and logs; people read the message. */}
                <pre className="block block-error" data-testid="inspector-error" data-code={phase.error.code}>
                  {phase.error.message}
                </pre>
              </section>
            )}
            {/* A command's output is its stdout: shown once, in its log. */}
            {phase.kind === 'command' ? <LogPanel phase={phase} /> : <PhaseOutput phase={phase} />}
            {phase.kind === 'approval' && <DecisionHistory phaseId={phaseId} />}
            <Transcript />
          </>
        )}
      </div>
    </aside>
  );
}
