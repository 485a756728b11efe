/**
 * An earlier try of the inspected phase, whole (SPEC §5 History): its status, which run
 * attempt made it, its timings, exit code, tokens and cost, its error, the decision on
 * it, its log (a command: that try's saved log) or output, and its transcript entries.
 */
import type { PhaseRecord, TryRecord } from '../../../shared/records';
import { useCommands } from '../../app/commands-context';
import { formatClock, formatSpan } from '../../util/format';
import { StatusBadge } from '../common/StatusBadge';
import { FactList, usageFacts, type Fact } from './FactList';
import { LogPanel } from './LogPanel';
import { OutputBlock } from './PhaseOutput';
import { Transcript } from './Transcript';
import '../../styles/history.css';

export function TryView({ phase, tried, latest }: { phase: PhaseRecord; tried: TryRecord; latest: number }) {
  const commands = useCommands();
  const facts: Fact[] = [
    ['Run attempt', String(tried.runAttempt)],
    ['Started', formatClock(tried.startedAt)],
    ['Finished', formatClock(tried.finishedAt)],
    ['Duration', tried.finishedAt === null ? '—' : formatSpan(tried.startedAt, tried.finishedAt, tried.finishedAt)],
  ];
  if (tried.exitCode !== null) facts.push(['Exit code', String(tried.exitCode)]);
  facts.push(...usageFacts(phase.kind, tried.usage));
  return (
    <div className="try-view" data-testid="try-view" data-attempt={tried.attempt}>
      <p className="try-view-note">
        <StatusBadge status={tried.status} />
        <span>
          Try {tried.attempt} of {latest}, an earlier try.
        </span>
        <button type="button" className="link-button" onClick={() => commands.selectTry(null)}>
          Show the latest
        </button>
      </p>
      <FactList facts={facts} testId="try-facts" />
      {tried.error && (
        <section className="inspector-section">
          <h3>Error</h3>
          <pre className="block block-error" data-testid="try-error" data-code={tried.error.code}>
            {tried.error.message}
          </pre>
        </section>
      )}
      {tried.decision && (
        <section className="inspector-section">
          <h3>Decision</h3>
          <p className="try-decision" data-testid="try-decision">
            {tried.decision.decision === 'approved' ? 'Approved' : 'Rejected'} by {tried.decision.by} at {formatClock(tried.decision.at)}
            {tried.decision.comment ? `: ${tried.decision.comment}` : ''}
          </p>
        </section>
      )}
      {phase.kind === 'command' ? (
        <LogPanel key={tried.attempt} phase={phase} tried={tried} />
      ) : (
        <OutputBlock output={tried.output} testId="try-output" />
      )}
      <Transcript attempt={tried.attempt} />
    </div>
  );
}
