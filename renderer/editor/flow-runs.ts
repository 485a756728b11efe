/** The runs of the open flow file that Resume can continue, newest first. */
import type { RunRecord } from '../../shared/records';
import { isResumable } from '../../shared/status';

/**
 * Runs record the absolute path of their flow file; the editor knows the path relative
 * to the flow folder (or absolute, in the desktop app). A run belongs to the file when
 * its path is the same or ends with `/<path>`.
 */
export function resumableRunsOf(runs: readonly RunRecord[], path: string): RunRecord[] {
  const rel = path.replace(/\\/g, '/').replace(/^\.\//, '');
  return runs.filter((run) => {
    if (!run.flowFile || !isResumable(run.status)) return false;
    const file = run.flowFile.replace(/\\/g, '/');
    return file === rel || file.endsWith(`/${rel}`);
  });
}
