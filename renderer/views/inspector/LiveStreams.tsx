/**
 * A command's stdout/stderr: live while it runs (phase.log), the saved tails after.
 * (A model's streaming text is shown at the end of the transcript.)
 */
import type { PhaseRecord } from '../../../shared/records';
import { useWaymark } from '../../state/store';

export function LiveStreams({ phase }: { phase: PhaseRecord }) {
  const stream = useWaymark((s) => s.streams[phase.phaseId]);
  const running = phase.status === 'running';
  const saved = phase.stdoutTail ?? stream?.stdout;
  // A command's output is its stdout: do not show the same text twice.
  const stdout = running ? stream?.stdout : saved !== undefined && saved.trimEnd() === phase.output ? undefined : saved;
  const stderr = running ? stream?.stderr : (phase.stderrTail ?? stream?.stderr);
  return (
    <>
      {stdout ? <StreamBlock title={running ? 'stdout (live)' : 'stdout (last part)'} text={stdout} testId="inspector-stdout" /> : null}
      {stderr ? <StreamBlock title={running ? 'stderr (live)' : 'stderr (last part)'} text={stderr} testId="inspector-stderr" error /> : null}
    </>
  );
}

function StreamBlock({ title, text, testId, error = false }: { title: string; text: string; testId: string; error?: boolean }) {
  return (
    <section className="inspector-section">
      <h3>{title}</h3>
      <pre className={`block block-log${error ? ' block-stderr' : ''}`} data-testid={testId}>
        {text}
      </pre>
    </section>
  );
}
