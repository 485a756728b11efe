/** The saved output of a succeeded phase (for a command: its stdout), and the block that shows an output. */
import type { PhaseRecord } from '../../../shared/records';

export function PhaseOutput({ phase }: { phase: PhaseRecord }) {
  return <OutputBlock output={phase.output} testId="inspector-output" />;
}

/** An output under its heading; nothing when there is none (null), "(empty)" for an empty one. */
export function OutputBlock({ output, testId }: { output: string | null; testId: string }) {
  if (output === null) return null;
  return (
    <section className="inspector-section">
      <h3>Output</h3>
      <pre className="block" data-testid={testId}>
        {output === '' ? <span className="muted">(empty)</span> : output}
      </pre>
    </section>
  );
}
