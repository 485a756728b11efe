/**
 * "Run again from here" (SPEC §4): first the preview (runs.previewRerun) of what a new
 * run from this phase would do, the same plan the engine then executes: which phases
 * it reuses (their saved outputs, not run again) and which run, and why; then, when the
 * person confirms, the new run starts (runs.rerun) and opens. The run it comes from
 * stays as it is.
 */
import { useEffect, useState } from 'react';
import type { ResumePreview } from '../../../shared/api';
import { useCommands } from '../../app/commands-context';
import { Modal } from '../../editor/Modal';
import { REASON_LABELS } from '../../editor/preview-map';
import { messageOf } from '../../state/commands';
import '../../styles/history.css';

type Loaded = { status: 'loading' } | { status: 'ready'; preview: ResumePreview } | { status: 'failed'; message: string };

export function RerunDialog({ runId, flowName, phaseId, onClose }: { runId: string; flowName: string; phaseId: string; onClose: () => void }) {
  const commands = useCommands();
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [starting, setStarting] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    commands.previewRerun(runId, phaseId).then(
      (preview) => current && setLoaded({ status: 'ready', preview }),
      (err: unknown) => current && setLoaded({ status: 'failed', message: messageOf(err) }),
    );
    return () => {
      current = false;
    };
  }, [commands, runId, phaseId]);

  const start = async () => {
    if (loaded.status !== 'ready' || starting) return;
    setStarting(true);
    setProblem(null);
    try {
      await commands.rerunRun(runId, phaseId);
      onClose();
    } catch (err) {
      setProblem(messageOf(err));
      setStarting(false);
    }
  };

  return (
    <Modal
      title={`Run ${flowName} again from ${phaseId}`}
      testId="rerun-dialog"
      onCancel={onClose}
      onSubmit={() => void start()}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={loaded.status !== 'ready' || starting} data-testid="rerun-start">
            {starting ? 'Starting…' : 'Start new run'}
          </button>
        </>
      }
    >
      <p className="rerun-intro">
        A new run starts from <code>{phaseId}</code> with the flow file as it is now. Run <code>{runId}</code> stays as it is.
      </p>
      {loaded.status === 'loading' && <p className="muted">Working out what is reused…</p>}
      {loaded.status === 'failed' && (
        <p className="inline-error" role="alert">
          {loaded.message}
        </p>
      )}
      {loaded.status === 'ready' && <PreviewLists preview={loaded.preview} />}
      {problem && (
        <p className="inline-error" role="alert">
          Could not start the new run: {problem}
        </p>
      )}
    </Modal>
  );
}

function PreviewLists({ preview }: { preview: ResumePreview }) {
  const frontier = new Set(preview.frontier);
  return (
    <div className="rerun-preview">
      <section aria-labelledby="rerun-runs-title">
        <h3 id="rerun-runs-title">
          Runs <span className="count">{preview.rerun.length}</span>
        </h3>
        <ul className="rerun-list" data-testid="rerun-runs">
          {preview.rerun.map(({ id, reason }) => (
            <li key={id} data-phase-id={id} className="rerun-item runs">
              <span className="rerun-glyph" aria-hidden="true">
                ↻
              </span>
              <code>{id}</code>
              <span className="muted">
                {reason === 'restart-requested' ? 'chosen: runs again from here' : REASON_LABELS[reason]}
                {frontier.has(id) ? ' · runs first' : ''}
              </span>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="rerun-reused-title">
        <h3 id="rerun-reused-title">
          Reused <span className="count">{preview.reused.length}</span>
        </h3>
        {preview.reused.length === 0 ? (
          <p className="muted">Nothing: every phase runs.</p>
        ) : (
          <ul className="rerun-list" data-testid="rerun-reused">
            {preview.reused.map((id) => (
              <li key={id} data-phase-id={id} className="rerun-item reused">
                <span className="rerun-glyph" aria-hidden="true">
                  ✓
                </span>
                <code>{id}</code>
                <span className="muted">saved output, not run again</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
