/** The saved output of a succeeded phase (for a command: its stdout). */
import type { PhaseRecord } from '../../../shared/records';

export function PhaseOutput({ phase }: { phase: PhaseRecord }) {
  if (phase.output === null) return null;
  return (
    <section className="inspector-section">
      <h3>Output</h3>
      <pre className="block" data-testid="inspector-output">
        {phase.output === '' ? <span className="muted">(empty)</span> : phase.output}
      </pre>
    </section>
  );
}
