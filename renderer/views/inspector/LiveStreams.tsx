/**
 * What a phase is printing or saying now: model text as it streams (phase.delta) and a
 * command's stdout/stderr (phase.log). After the phase ends, the saved tails are shown.
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
  const text = running ? stream?.text : undefined;
  return (
    <>
      {text ? (
        <section className="inspector-section">
          <h3>
            Streaming <span className="live-dot" aria-hidden="true" />
          </h3>
          <pre className="block block-live" data-testid="inspector-streaming" aria-live="off">
            {text}
          </pre>
        </section>
      ) : null}
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
