/**
 * flows.pick: the desktop editor's "Open file…". The OS dialog runs in the main process,
 * so the path comes from the user, never from the page; only then may the page open,
 * save and run that one file outside the flow folder.
 */
import { WaymarkError } from '../../shared/errors';
import type { FlowRoot } from './flow-root';

export async function pickFlowFile(root: FlowRoot, pick: (() => Promise<string | null>) | undefined): Promise<{ path: string } | null> {
  if (!pick) throw new WaymarkError('USAGE', 'the file picker is only in the desktop app: open flows from the list (the files under --root)');
  const file = await pick();
  if (file === null) return null;
  root.allow(file);
  return { path: root.display(file) };
}
