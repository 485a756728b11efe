/**
 * The whole log of a try in a large modal view: loaded page by page (with progress),
 * then searchable and downloadable like the inspector's panel. Escape closes it (the
 * search box takes the first Escape when it has a query).
 */
import { useEffect, useRef } from 'react';
import { CommandLine } from './CommandLine';
import { LogBody } from './LogBody';
import { formatBytes } from './log-format';
import type { SavedLog } from './log-source';

interface Props {
  title: string;
  log: SavedLog | null;
  progress: { loaded: number; total: number } | null;
  onDownload(): void;
  onClose(): void;
}

export function LogDialog({ title, log, progress, onDownload, onClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  const whole = log?.whole ? log : null;
  return (
    <dialog
      ref={ref}
      className="dialog log-dialog"
      aria-labelledby="log-dialog-title"
      data-testid="log-dialog"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <header className="dialog-header">
        <h2 id="log-dialog-title">
          Log <span className="muted">{title}</span>
        </h2>
        <span className="log-actions">
          <button type="button" className="button small" onClick={onDownload} disabled={!whole} data-testid="log-dialog-download">
            Download
          </button>
          <button type="button" className="button ghost small" onClick={onClose} aria-label="Close (Escape)">
            ✕
          </button>
        </span>
      </header>
      <div className="log-dialog-body">
        {whole?.commandLine && <CommandLine command={whole.commandLine} />}
        {whole ? (
          <LogBody stdout={whole.stdout} stderr={whole.stderr} testId="log-dialog" empty="The command printed nothing." />
        ) : (
          <p className="log-empty muted" role="status">
            Loading the whole log{progress && progress.total > 0 ? `: ${formatBytes(progress.loaded)} of ${formatBytes(progress.total)}` : '…'}
          </p>
        )}
      </div>
    </dialog>
  );
}
