/** Attempts, timings, exit code, and the tokens and cost of one phase (every try, across attempts). */
import type { PhaseRecord } from '../../../shared/records';
import { formatClock, formatSpan } from '../../util/format';
import { useNow } from '../../util/use-now';
import { FactList, usageFacts, type Fact } from './FactList';

export function PhaseFacts({ phase }: { phase: PhaseRecord }) {
  // A waiting phase's try is still open, like a running one's.
  const running = phase.status === 'running' || phase.status === 'waiting';
  const now = useNow(running);
  const facts: Fact[] = [
    ['Tries', String(phase.attempts)],
    ['Started', formatClock(phase.startedAt)],
    ['Finished', running ? '—' : formatClock(phase.finishedAt)],
    ['Duration', formatSpan(phase.startedAt, running ? null : phase.finishedAt, now)],
  ];
  facts.push(...usageFacts(phase.kind, phase.usage));
  if (phase.exitCode !== null) facts.push(['Exit code', String(phase.exitCode)]);
  if (phase.dependsOn.length > 0) facts.push(['Depends on', phase.dependsOn.join(', ')]);
  return <FactList facts={facts} testId="inspector-facts" />;
}
