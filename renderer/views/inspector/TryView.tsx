/**
 * An earlier try of the inspected phase, whole (SPEC §5 History): its status, which run
 * attempt made it, its timings, exit code, tokens and cost, its error, the decision on
 * it, its log (a command: that try's saved log) or output, and its transcript entries.
 */
import type { PhaseRecord, TryRecord } from '../../../shared/records';
import { formatCost } from '../../../shared/usage-format';
import { useCommands } from '../../app/commands-context';
import { formatClock, formatSpan } from '../../util/format';
import { StatusBadge } from '../common/StatusBadge';
import { LogPanel } from './LogPanel';
import { Transcript } from './Transcript';
import '../../styles/history.css';

export function TryView({ phase, tried, latest }: { phase: PhaseRecord; tried: TryRecord; latest: number }) {
  const commands = useCommands();
  const facts: [string, string][] = [
    ['Run attempt', String(tried.runAttempt)],
    ['Started', formatClock(tried.startedAt)],
    ['Finished', formatClock(tried.finishedAt)],
    ['Duration', tried.finishedAt === null ? '—' : formatSpan(tried.startedAt, tried.finishedAt, tried.finishedAt)],
  ];
  if (tried.exitCode !== null) facts.push(['Exit code', String(tried.exitCode)]);
  if (phase.kind === 'agent' || tried.usage.steps > 0) {
    facts.push(['Input tokens', tried.usage.inputTokens.toLocaleString()], ['Output tokens', tried.usage.outputTokens.toLocaleString()], ['Cost', formatCost(tried.usage)]);
  }
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
      <dl className="facts" data-testid="try-facts">
        {facts.map(([label, value]) => (
          <div key={label} data-fact={label}>
            <dt>{label}</dt>
            <dd className="num">{value}</dd>
          </div>
        ))}
      </dl>
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
        tried.output !== null && (
          <section className="inspector-section">
            <h3>Output</h3>
            <pre className="block" data-testid="try-output">
              {tried.output === '' ? <span className="muted">(empty)</span> : tried.output}
            </pre>
          </section>
        )
      )}
      <Transcript attempt={tried.attempt} />
    </div>
  );
}
