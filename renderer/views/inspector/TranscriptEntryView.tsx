/**
 * One transcript entry: who said it, when and how long it took, and its text, tool calls
 * (files written shown as files) or tool results.
 */
import { memo } from 'react';
import type { TranscriptEntry } from '../../../shared/records';
import { EntryTime } from './EntryTime';
import { StepUsage } from './StepUsage';
import { ToolCallView } from './ToolCallView';
import { ToolResultView } from './ToolResultView';
import { transcriptParts, type TranscriptPart } from '../../../shared/transcript/transcript-parts';
import type { ToolCallRef } from './transcript-timing';

const ROLE_LABELS: Record<TranscriptEntry['role'], string> = {
  system: 'System',
  user: 'User',
  assistant: 'Assistant',
  tool: 'Tool',
  notice: 'Notice',
};

interface Props {
  entry: TranscriptEntry;
  /** How long the entry took (transcript-timing.ts); null where unknown. */
  durationMs?: number | null;
  /** The run's tool calls by id, for results to show what they answer. */
  calls?: ReadonlyMap<string, ToolCallRef>;
}

export const TranscriptEntryView = memo(function TranscriptEntryView({ entry, durationMs = null, calls }: Props) {
  const parts = transcriptParts(entry.content);
  return (
    <li className={`transcript-entry role-${entry.role}`} data-testid="transcript-entry" data-role={entry.role}>
      <div className="transcript-meta">
        <span className="transcript-role">{ROLE_LABELS[entry.role] ?? entry.role}</span>
        <EntryTime at={entry.at} durationMs={durationMs} role={entry.role} />
        {entry.attempt > 1 && <span className="muted">try {entry.attempt}</span>}
        {entry.usage && <StepUsage usage={entry.usage} />}
      </div>
      {parts.map((part, i) => (
        <Part key={i} part={part} calls={calls} />
      ))}
    </li>
  );
});

function Part({ part, calls }: { part: TranscriptPart; calls: ReadonlyMap<string, ToolCallRef> | undefined }) {
  switch (part.kind) {
    case 'text':
      return <div className="transcript-text">{part.text}</div>;
    case 'tool-call':
      return <ToolCallView name={part.name} input={part.input} args={part.args} />;
    case 'tool-result':
      return <ToolResultView name={part.name} result={part.result} isError={part.isError} call={part.id ? calls?.get(part.id) : undefined} />;
    case 'json':
      return <pre className="block small">{part.json}</pre>;
  }
}
