/** Attempts, timings, exit code, and the tokens and cost of one phase (every try, across attempts). */
import type { PhaseRecord } from '../../../shared/records';
import { formatCost } from '../../../shared/usage-format';
import { formatClock, formatSpan } from '../../util/format';
import { useNow } from '../../util/use-now';

export function PhaseFacts({ phase }: { phase: PhaseRecord }) {
  // A waiting phase's try is still open, like a running one's.
  const running = phase.status === 'running' || phase.status === 'waiting';
  const now = useNow(running);
  const facts: [string, string][] = [
    ['Tries', String(phase.attempts)],
    ['Started', formatClock(phase.startedAt)],
    ['Finished', running ? '—' : formatClock(phase.finishedAt)],
    ['Duration', formatSpan(phase.startedAt, running ? null : phase.finishedAt, now)],
  ];
  const { usage } = phase;
  if (phase.kind === 'agent' || usage.steps > 0) {
    facts.push(['Input tokens', usage.inputTokens.toLocaleString()], ['Output tokens', usage.outputTokens.toLocaleString()]);
    if (usage.cachedInputTokens > 0) facts.push(['Cached input tokens', usage.cachedInputTokens.toLocaleString()]);
    if (usage.reasoningTokens > 0) facts.push(['Reasoning tokens', usage.reasoningTokens.toLocaleString()]);
    facts.push(['Cost', formatCost(usage)]);
  }
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
