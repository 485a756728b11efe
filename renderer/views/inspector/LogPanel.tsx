/**
 * The log of a command phase's latest try: one panel for what the command printed (its
 * output is its stdout, so there is no separate Output), with stderr interleaved as it
 * was written. Live while the try runs (phase.log), then the saved log: its last part
 * here, the whole of it in a larger view, and as a download. Runs recorded before
 * Waymark kept whole logs show the saved tails.
 */
import { useState } from 'react';
import { emptyStream, type LoadedStream } from '../../../shared/log/phase-log';
import type { PhaseRecord, TryRecord } from '../../../shared/records';
import { useWaymark } from '../../state/store';
import { CommandLine } from './CommandLine';
import { logFileName, saveTextFile } from './download-log';
import { LogBody } from './LogBody';
import { LogDialog } from './LogDialog';
import { logFileText, logLinesOf } from './log-view-model';
import { formatBytes } from './log-format';
import { useSavedLog } from './use-saved-log';
import '../../styles/log.css';

/** `tried`: an earlier try to show (the inspector's tries), else the phase's latest. */
export function LogPanel({ phase, tried }: { phase: PhaseRecord; tried?: TryRecord }) {
  const runId = useWaymark((s) => s.openRunId) ?? '';
  const { phaseId } = phase;
  const attempt = tried?.attempt ?? phase.attempts;
  const live = useWaymark((s) => (s.liveLogsRun === runId && !tried ? s.liveLogs[phaseId] : undefined));
  // Not running: its latest try has ended (a pending phase with tries shows its last one, from an earlier attempt).
  const ended = tried ? tried.status !== 'running' : phase.status !== 'running';
  const saved = useSavedLog({ runId, phaseId, attempt }, ended);
  const [expanded, setExpanded] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  if (attempt < 1 && !live) return null;
  const liveTry = live && (live.attempt === attempt || live.attempt === 0) ? live : undefined;
  const log = saved.state.status === 'ready' ? saved.state.log : null;
  const shown = tried ?? phase;
  const hasTails = Boolean(shown.stdoutTail || shown.stderrTail || shown.output);
  const streams: { stdout: LoadedStream; stderr: LoadedStream } | null =
    log ?? (liveTry ? { stdout: liveTry.stdout.loaded, stderr: liveTry.stderr.loaded } : saved.state.status === 'none' && hasTails ? tails(shown) : null);
  const partial = log && !log.whole ? log.stdout.bytesBefore + log.stderr.bytesBefore : 0;
  const size = log ? log.stdout.storedBytes + log.stderr.storedBytes : 0;

  const download = async () => {
    setProblem(null);
    try {
      const whole = await saved.loadAll();
      if (whole) saveTextFile(logFileName(runId, phaseId, attempt), logFileText(whole.commandLine, logLinesOf(whole.stdout, whole.stderr)));
    } catch (err) {
      setProblem(`Could not load the whole log: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const viewWhole = () => {
    setExpanded(true);
    saved.loadAll().catch((err: unknown) => setProblem(`Could not load the whole log: ${err instanceof Error ? err.message : String(err)}`));
  };

  return (
    <section className="inspector-section log-panel" data-testid="inspector-log" data-attempt={attempt} data-source={log ? (log.whole ? 'whole' : 'tail') : liveTry ? 'live' : 'tails'}>
      <h3>
        Log
        {attempt > 1 && <span className="count">try {attempt}</span>}
        {!ended && liveTry && <span className="live-dot" aria-label="live" />}
        <span className="log-actions">
          <button type="button" className="button small" onClick={viewWhole} disabled={!log} title={log ? 'The whole log in a larger view' : 'Available when the try has ended'} data-testid="log-view-whole">
            {log?.whole ? 'Expand' : 'View whole log'}
          </button>
          <button type="button" className="button small" onClick={() => void download()} disabled={!log || saved.progress !== null} title={log ? 'Save the whole log as a text file' : 'Available when the try has ended'} data-testid="log-download">
            Download
          </button>
        </span>
      </h3>
      {log?.commandLine && <CommandLine command={log.commandLine} />}
      {problem && (
        <p className="inline-error" role="alert">
          {problem}
        </p>
      )}
      {saved.state.status === 'failed' && (
        <p className="inline-error" role="alert">
          Could not load the saved log: {saved.state.message}
        </p>
      )}
      {partial > 0 && (
        <p className="log-note muted" data-testid="log-partial">
          Showing the last {formatBytes(size - partial)} of {formatBytes(size)}.{' '}
          <button type="button" className="link-button" onClick={viewWhole}>
            View whole log
          </button>
        </p>
      )}
      {saved.state.status === 'none' && !liveTry && (
        <p className="log-note muted" data-testid="log-no-saved">
          {hasTails
            ? 'Only the last part of each stream was saved for this try (it ran before Waymark kept whole logs).'
            : 'No log was saved for this try: its process was stopped before it could end, or it ran before Waymark kept whole logs.'}
        </p>
      )}
      {streams ? (
        <LogBody stdout={streams.stdout} stderr={streams.stderr} testId="log" empty={ended ? 'The command printed nothing.' : 'No output yet.'} />
      ) : saved.state.status === 'loading' || !ended ? (
        <p className="log-empty muted">{ended ? 'Loading the log…' : 'No output yet.'}</p>
      ) : null}
      {expanded && (
        <LogDialog title={`${phaseId} · try ${attempt}`} log={log} progress={saved.progress} onDownload={() => void download()} onClose={() => setExpanded(false)} />
      )}
    </section>
  );
}

/** The saved tails of a try recorded before whole logs: each stream's last part, without times. */
function tails(phase: Pick<PhaseRecord, 'stdoutTail' | 'stderrTail' | 'output'>): { stdout: LoadedStream; stderr: LoadedStream } {
  const stream = (text: string | null): LoadedStream => ({ ...emptyStream(), text: text ?? '', startsMidLine: text !== null });
  return { stdout: stream(phase.stdoutTail ?? phase.output), stderr: stream(phase.stderrTail) };
}
