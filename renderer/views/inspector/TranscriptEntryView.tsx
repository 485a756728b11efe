/** One transcript entry: who said it, and its text, tool calls (with arguments) or tool results. */
import { memo } from 'react';
import type { TranscriptEntry } from '../../../shared/records';
import { transcriptParts, type TranscriptPart } from './transcript-parts';

const ROLE_LABELS: Record<TranscriptEntry['role'], string> = {
  system: 'System',
  user: 'User',
  assistant: 'Assistant',
  tool: 'Tool',
  notice: 'Notice',
};

export const TranscriptEntryView = memo(function TranscriptEntryView({ entry }: { entry: TranscriptEntry }) {
  const parts = transcriptParts(entry.content);
  return (
    <li className={`transcript-entry role-${entry.role}`} data-testid="transcript-entry" data-role={entry.role}>
      <div className="transcript-meta">
        <span className="transcript-role">{ROLE_LABELS[entry.role] ?? entry.role}</span>
        {entry.attempt > 1 && <span className="muted">try {entry.attempt}</span>}
        {entry.usage && (
          <span className="muted num">
            {entry.usage.inputTokens} in · {entry.usage.outputTokens} out
          </span>
        )}
      </div>
      {parts.map((part, i) => (
        <Part key={i} part={part} />
      ))}
    </li>
  );
});

function Part({ part }: { part: TranscriptPart }) {
  switch (part.kind) {
    case 'text':
      return <div className="transcript-text">{part.text}</div>;
    case 'tool-call':
      return (
        <div className="tool-call">
          <div className="tool-label">
            Tool call <code>{part.name}</code>
          </div>
          <pre className="block small">{part.args}</pre>
        </div>
      );
    case 'tool-result':
      return (
        <div className={`tool-result${part.isError ? ' is-error' : ''}`}>
          <div className="tool-label">
            {part.isError ? 'Tool error' : 'Tool result'} <code>{part.name}</code>
          </div>
          <pre className="block small">{part.result}</pre>
        </div>
      );
    case 'json':
      return <pre className="block small">{part.json}</pre>;
  }
}
