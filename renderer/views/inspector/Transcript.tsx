/** The phase's transcript, loaded page by page (runs.transcript), live entries appended. */
import { useCommands } from '../../app/commands-context';
import { useWaymark } from '../../state/store';
import { TranscriptEntryView } from './TranscriptEntryView';

export function Transcript() {
  const commands = useCommands();
  const transcript = useWaymark((s) => s.transcript);
  if (!transcript) return null;
  const { entries, nextIndex, loading, error } = transcript;
  if (entries.length === 0 && !loading && !error && nextIndex === null) return null;
  return (
    <section className="inspector-section" data-testid="transcript">
      <h3>
        Transcript <span className="count">{entries.length > 0 ? entries.length : ''}</span>
      </h3>
      <ol className="transcript">
        {entries.map((entry) => (
          <TranscriptEntryView key={entry.index} entry={entry} />
        ))}
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
