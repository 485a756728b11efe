/** When a transcript entry was saved, and how long it took (transcript-timing.ts). */
import { formatDuration } from '../../../shared/duration';
import type { TranscriptRole } from '../../../shared/events';
import { clockOf } from './log-view-model';

const TOOK: Partial<Record<TranscriptRole, string>> = {
  assistant: 'the model took this long to answer',
  tool: 'the tool took this long to run',
  notice: 'time since the step before',
};

export function EntryTime({ at, durationMs, role }: { at: number; durationMs: number | null; role: TranscriptRole }) {
  return (
    <span className="muted num transcript-time" data-testid="transcript-time">
      <time dateTime={new Date(at).toISOString()} title={new Date(at).toLocaleString()}>
        {clockOf(at)}
      </time>
      {durationMs !== null && <span title={TOOK[role]}> · {formatDuration(durationMs)}</span>}
    </span>
  );
}
