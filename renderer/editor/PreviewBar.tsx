/**
 * A resume preview, above the graph (which colours each phase): what resume reuses,
 * what re-runs and why, where it starts. Confirm resumes the run; any edit drops the
 * preview, since it was computed for the saved definition.
 */
import { Fragment } from 'react';
import type { EditorPreview } from '../state/editor-slice';
import { REASON_LABELS } from './preview-map';

export function PreviewBar({ previewed, busy, onConfirm, onCancel }: { previewed: EditorPreview; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  const { runId, preview } = previewed;
  const reasons = new Map<string, string[]>();
  for (const { id, reason } of preview.rerun) reasons.set(REASON_LABELS[reason], [...(reasons.get(REASON_LABELS[reason]) ?? []), id]);
  return (
    <div className="preview-bar" role="region" aria-label="Resume preview" data-testid="resume-preview">
      <div className="preview-text">
        <strong>Resume run {runId} with this definition:</strong> reuses {preview.reused.length} {preview.reused.length === 1 ? 'phase' : 'phases'}, re-runs {preview.rerun.length}
        {[...reasons].map(([label, ids]) => (
          <Fragment key={label}>
            {' · '}
            {label}: {ids.map((id) => <code key={id}>{id}</code>)}
          </Fragment>
        ))}
        {' · '}runs first: {preview.frontier.length > 0 ? preview.frontier.map((id) => <code key={id} className="frontier-code">{id}</code>) : 'nothing'}
      </div>
      <div className="preview-actions">
        <button type="button" className="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="button" className="button primary" onClick={onConfirm} disabled={busy || preview.rerun.length === 0} data-testid="confirm-resume">
          {busy ? 'Resuming…' : 'Confirm resume'}
        </button>
      </div>
    </div>
  );
}

/** What the node colours mean in a preview. */
export function PreviewLegend() {
  return (
    <ul className="preview-legend" aria-label="Legend" data-testid="preview-legend">
      <li className="legend-item state-succeeded">
        <span className="legend-swatch" aria-hidden="true" />
        Reused (not run again)
      </li>
      <li className="legend-item state-interrupted">
        <span className="legend-swatch" aria-hidden="true" />
        ↻ Re-runs (why: on the node)
      </li>
      <li className="legend-item state-frontier">
        <span className="legend-swatch" aria-hidden="true" />
        Frontier: runs first
      </li>
    </ul>
  );
}
