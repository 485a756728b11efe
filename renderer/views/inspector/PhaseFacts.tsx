/** Attempts, timings, exit code and token usage of one phase. */
import type { PhaseRecord } from '../../../shared/records';
import { formatClock, formatSpan } from '../../util/format';
import { useNow } from '../../util/use-now';

export function PhaseFacts({ phase }: { phase: PhaseRecord }) {
  const running = phase.status === 'running';
  const now = useNow(running);
  const facts: [string, string][] = [
    ['Tries', String(phase.attempts)],
    ['Started', formatClock(phase.startedAt)],
    ['Finished', running ? '—' : formatClock(phase.finishedAt)],
    ['Duration', formatSpan(phase.startedAt, running ? null : phase.finishedAt, now)],
    ['Input tokens', phase.usage.inputTokens.toLocaleString()],
    ['Output tokens', phase.usage.outputTokens.toLocaleString()],
  ];
  if (phase.exitCode !== null) facts.push(['Exit code', String(phase.exitCode)]);
  if (phase.dependsOn.length > 0) facts.push(['Depends on', phase.dependsOn.join(', ')]);
  return (
    <dl className="facts" data-testid="inspector-facts">
      {facts.map(([label, value]) => (
        <div key={label} data-fact={label}>
          <dt>{label}</dt>
          <dd className="num">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
