/** What Resume would do (runs.previewResume): which phases are reused and where it starts. */
import { Fragment, useEffect, useState } from 'react';
import type { ResumePreview } from '../../../shared/api';
import { useCommands } from '../../app/commands-context';

export function ResumeSummary({ runId, lastSeq }: { runId: string; lastSeq: number }) {
  const commands = useCommands();
  const [preview, setPreview] = useState<ResumePreview | null>(null);
  useEffect(() => {
    let current = true;
    commands
      .previewResume(runId)
      .then((p) => current && setPreview(p))
      .catch(() => current && setPreview(null));
    return () => {
      current = false;
    };
  }, [commands, runId, lastSeq]);
  if (!preview) return <p className="resume-summary muted">&nbsp;</p>;
  const reused = preview.reused.length;
  return (
    <p className="resume-summary" data-testid="resume-summary">
      Resume reuses {reused} completed {reused === 1 ? 'phase' : 'phases'} and starts at{' '}
      {preview.frontier.length > 0 ? preview.frontier.map((id, i) => (
            <Fragment key={id}>
              {i > 0 && ', '}
              <code>{id}</code>
            </Fragment>
          )) : 'nothing'}
      {preview.rerun.length > preview.frontier.length ? `, then ${preview.rerun.length - preview.frontier.length} more` : ''}.
    </p>
  );
}
