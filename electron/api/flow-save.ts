/**
 * flows.save: the editor's write path. Nothing invalid is written, a file changed on
 * disk since it was opened is never overwritten silently, and the write is atomic (a
 * temporary file renamed over the old one), so a crash mid-save cannot leave half a flow.
 * The size cap is the loader's (text over MAX_FLOW_BYTES is a validation problem).
 */
import { randomBytes } from 'node:crypto';
import { rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { FlowDocument, ParsedReq } from '../../shared/api';
import { WaymarkError } from '../../shared/errors';
import { formatProblem } from '../../shared/flow/problems';
import { openFlow, validate } from './flow-handlers';
import type { FlowRoot } from './flow-root';

export async function saveFlow(root: FlowRoot, req: ParsedReq<'flows.save'>): Promise<FlowDocument> {
  const file = root.resolve(req.path);
  const display = root.display(file);
  if (!['.yaml', '.yml'].includes(extname(file).toLowerCase())) {
    throw new WaymarkError('INVALID_REQUEST', `"${display}": flow files must end in .yaml or .yml`, { where: { file: display } });
  }
  const { problems } = await validate(req.source, display);
  if (problems.length > 0) {
    const first = problems[0];
    throw new WaymarkError('FLOW_INVALID', `not saved: the flow has ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${problems.map(formatProblem).join('\n')}`, {
      where: { file: display, ...(first ? { line: first.line, column: first.column, ...(first.phaseId ? { phaseId: first.phaseId } : {}) } : {}) },
    });
  }
  const current = await stat(file).catch(() => null);
  if (current && !current.isFile()) throw new WaymarkError('INVALID_REQUEST', `"${display}" is not a regular file`);
  if (current && req.expectedMtimeMs !== undefined && current.mtimeMs !== req.expectedMtimeMs && !req.overwrite) {
    throw new WaymarkError('FLOW_CHANGED', `"${display}" changed on disk since it was opened: reload it, or save again to overwrite those changes`, { where: { file: display } });
  }
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, req.source, { encoding: 'utf8', flag: 'wx' });
    await rename(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw new WaymarkError('INVALID_REQUEST', `could not save "${display}": ${(err as Error).message}`, { cause: err });
  }
  return openFlow(root, display);
}
