/** flows.list, flows.open, flows.validate: flow files under the serve root, read and checked with the shared loader. */
import { statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { isMap, parseDocument } from 'yaml';
import type { FlowDocument, FlowFileInfo, FlowView } from '../../shared/api';
import { WaymarkError } from '../../shared/errors';
import type { FlowProblem } from '../../shared/flow/problems';
import { validateFlowSource } from '../engine/flow-file';
import { unpricedModelProblems } from '../engine/pricing/budget-prices';
import { decodeFlowText, readFlowBytes } from '../engine/flow-read';
import type { FlowRoot } from './flow-root';
import { toFlowView } from './flow-view';

/** Limits of `flows.list`, so a huge folder cannot stall the server. */
export const FLOW_LIST_LIMITS = { files: 1000, dirs: 5000, depth: 12, nameBytes: 256 * 1024 } as const;
const FLOW_EXTENSIONS = new Set(['.yaml', '.yml']);

/**
 * Every flow file (*.yaml / *.yml with top-level `phases:`) under the root, sorted by
 * path; skips node_modules, dot-folders and symbolic links.
 */
export async function listFlows(root: FlowRoot): Promise<FlowFileInfo[]> {
  const files: string[] = [];
  const queue: { dir: string; depth: number }[] = [{ dir: root.dir, depth: 0 }];
  let dirs = 0;
  while (queue.length > 0 && files.length < FLOW_LIST_LIMITS.files && dirs < FLOW_LIST_LIMITS.dirs) {
    const { dir, depth } = queue.shift() as { dir: string; depth: number };
    dirs += 1;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.') && depth < FLOW_LIST_LIMITS.depth) queue.push({ dir: join(dir, entry.name), depth: depth + 1 });
      } else if (entry.isFile() && FLOW_EXTENSIONS.has(extname(entry.name).toLowerCase())) {
        files.push(join(dir, entry.name));
        if (files.length >= FLOW_LIST_LIMITS.files) break;
      }
    }
  }
  const infos = await Promise.all(files.map((file) => describe(root, file)));
  return infos.filter((i): i is FlowFileInfo => i !== null).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The absolute path of a flow file to run: inside the root and a regular file (never a
 * FIFO or device, which would block the engine's synchronous read).
 */
export function resolveFlowFile(root: FlowRoot, path: string): string {
  const file = root.resolve(path);
  const display = root.display(file);
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch {
    throw new WaymarkError('FLOW_NOT_FOUND', `no flow file "${display}" under ${root.dir}`, { where: { file: display } });
  }
  if (!isFile) throw new WaymarkError('FLOW_NOT_FOUND', `"${display}" is not a file`, { where: { file: display } });
  return file;
}

/**
 * Reads through readFlowBytes (never blocks on a FIFO or device, refuses a file over the
 * size cap). Bytes that are not UTF-8 open anyway, as the lenient text with one problem
 * at the first bad byte, so the editor can show where the file needs fixing.
 */
export async function openFlow(root: FlowRoot, path: string): Promise<FlowDocument> {
  const file = root.resolve(path);
  const display = root.display(file);
  const { bytes, stats } = await readFlowBytes(file, display).catch((err: unknown) => {
    const missing = (err as { cause?: NodeJS.ErrnoException }).cause?.code === 'ENOENT';
    throw missing ? new WaymarkError('FLOW_NOT_FOUND', `no flow file "${display}" under ${root.dir}`, { where: { file: display } }) : err;
  });
  const { text, problem } = decodeFlowText(bytes);
  const checked = problem ? { flow: null, problems: [{ ...problem, file: display, path: [] }] } : await validate(text, display);
  return { path: display, source: text, mtimeMs: stats.mtimeMs, ...checked };
}

/**
 * Validates editor text with the same checks the engine makes before a run: the loader,
 * then prices for a `budget.usd` (pricing/budget-prices.ts). Problems name `path` when given.
 */
export async function validate(source: string, path: string | undefined): Promise<{ flow: FlowView | null; problems: FlowProblem[] }> {
  const result = validateFlowSource(source, path ?? 'flow.yaml');
  const problems = result.ok ? await unpricedModelProblems(result.flow, source, path) : result.problems;
  if (result.ok && problems.length === 0) return { flow: toFlowView(result.flow), problems: [] };
  return { flow: null, problems: path === undefined ? problems.map(({ file: _f, ...p }) => p) : problems };
}

/**
 * A listed flow file's name and description, or null for a YAML file that is not a flow
 * (no top-level `phases:`), so the pickers list only flows. A file over the size cap, or
 * one that does not parse, is judged by a top-level `phases:` line, so a flow being
 * written (or broken) still opens in the editor.
 */
async function describe(root: FlowRoot, file: string): Promise<FlowFileInfo | null> {
  try {
    const info = await stat(file);
    const fallback = basename(file, extname(file));
    const display = root.display(file);
    if (info.size > FLOW_LIST_LIMITS.nameBytes) return { path: display, name: fallback, mtimeMs: info.mtimeMs };
    const text = decodeFlowText((await readFlowBytes(file)).bytes).text;
    // Only the top-level keys are wanted: no duplicate-key check (quadratic in the keys of a mapping).
    const doc = parseDocument(text, { uniqueKeys: false });
    if (doc.errors.length > 0 || !isMap(doc.contents)) return FLOW_LIKE.test(text) ? { path: display, name: fallback, mtimeMs: info.mtimeMs } : null;
    if (!doc.has('phases')) return null;
    const declared = doc.get('name');
    const about = doc.get('description');
    const name = typeof declared === 'string' && declared.trim() ? declared : fallback;
    const description = typeof about === 'string' && about.trim() ? oneLine(about) : undefined;
    return { path: display, name, mtimeMs: info.mtimeMs, ...(description ? { description } : {}) };
  } catch {
    return null;
  }
}

/** A top-level `phases:` key, for text that does not parse. */
const FLOW_LIKE = /^phases\s*:/m;
const DESCRIPTION_CHARS = 300;

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > DESCRIPTION_CHARS ? `${flat.slice(0, DESCRIPTION_CHARS - 1)}…` : flat;
}
