/**
 * The phase's transcript, loaded page by page (runs.transcript), live entries appended,
 * and the model's answer in progress (phase.delta text) after the last entry. Entries of
 * several tries come under a heading per try; `attempt` shows one try's only.
 */
import { useCommands } from '../../app/commands-context';
import { useWaymark } from '../../state/store';
import { Fragment, useMemo } from 'react';
import type { TranscriptEntry } from '../../../shared/records';
import { TranscriptEntryView } from './TranscriptEntryView';
import { entryDurations, toolCallsById } from './transcript-timing';

const NO_ENTRIES: readonly TranscriptEntry[] = [];

export function Transcript({ attempt }: { attempt?: number }) {
  const commands = useCommands();
  const transcript = useWaymark((s) => s.transcript);
  const streaming = useWaymark((s) => {
    const id = s.selectedPhaseId;
    return id && attempt === undefined && s.view?.phases[id]?.status === 'running' ? (s.streams[id]?.text ?? '') : '';
  });
  const all = transcript?.entries ?? NO_ENTRIES;
  const entries = useMemo(() => (attempt === undefined ? all : all.filter((e) => e.attempt === attempt)), [all, attempt]);
  const headings = attempt === undefined && entries.some((e) => e.attempt !== entries[0]?.attempt);
  const durations = useMemo(() => entryDurations(entries), [entries]);
  const calls = useMemo(() => toolCallsById(entries), [entries]);
  if (!transcript) return null;
  const { nextIndex, loading, error } = transcript;
  if (entries.length === 0 && !loading && !error && nextIndex === null && !streaming) return null;
  return (
    <section className="inspector-section" data-testid="transcript">
      <h3>
        Transcript <span className="count">{entries.length > 0 ? entries.length : ''}</span>
      </h3>
      <ol className="transcript">
        {entries.map((entry, i) => (
          <Fragment key={entry.index}>
            {headings && entry.attempt !== entries[i - 1]?.attempt && (
              <li className="transcript-try" data-testid={`transcript-try-${entry.attempt}`}>
                Try {entry.attempt}
              </li>
            )}
            <TranscriptEntryView entry={entry} durationMs={durations[i] ?? null} calls={calls} />
          </Fragment>
        ))}
        {streaming && (
          <li className="transcript-entry role-assistant streaming" aria-live="off">
            <div className="transcript-meta">
              <span className="transcript-role">Assistant</span>
              <span className="muted">
                streaming <span className="live-dot" aria-hidden="true" />
              </span>
            </div>
            <div className="transcript-text" data-testid="inspector-streaming">
              {streaming}
            </div>
          </li>
        )}
      </ol>
      {error && (
        <p className="inline-error" role="alert">
          Could not load the transcript: {error}
        </p>
      )}
      {nextIndex !== null && (
        <button type="button" className="button small" disabled={loading} onClick={() => void commands.loadMoreTranscript()}>
          {loading ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
