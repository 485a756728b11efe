/** Reads a flow file from disk and validates it; problems become one FLOW_INVALID error. */
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, resolve } from 'node:path';
import { WaymarkError } from '../../shared/errors';
import { parseFlow, type LoadResult } from '../../shared/flow/load';
import { formatProblem } from '../../shared/flow/problems';
import type { Flow } from '../../shared/flow/schema';

export interface LoadedFlow {
  flow: Flow;
  source: string;
  file: string;
}

export function readFlowFile(path: string): { source: string; file: string } {
  const file = resolve(path);
  try {
    return { source: readFileSync(file, 'utf8'), file };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
    throw new WaymarkError('FLOW_NOT_FOUND', `cannot read flow file ${file}: ${why}`, { where: { file } });
  }
}

export function validateFlowSource(source: string, file: string): LoadResult {
  return parseFlow(source, { file, defaultName: basename(file, extname(file)) });
}

/** Loads and validates; throws FLOW_INVALID listing every problem, one per line. */
export function loadFlow(path: string): LoadedFlow {
  const { source, file } = readFlowFile(path);
  return flowFromSource(source, file);
}

export function flowFromSource(source: string, file: string): LoadedFlow {
  const result = validateFlowSource(source, file);
  if (!result.ok) {
    const first = result.problems[0];
    throw new WaymarkError('FLOW_INVALID', result.problems.map(formatProblem).join('\n'), {
      where: { file, ...(first ? { line: first.line, column: first.column } : {}), ...(first?.phaseId ? { phaseId: first.phaseId } : {}) },
    });
  }
  return { flow: { ...result.flow, file }, source, file };
}

/** The run's workspace: `workdir:` relative to the flow file, or the flow file's folder. */
export function workspaceOf(flow: Flow, file: string): string {
  const base = dirname(file);
  if (!flow.workdir) return base;
  return isAbsolute(flow.workdir) ? flow.workdir : resolve(base, flow.workdir);
}

/** Resolves the workspace and creates it when the flow names one that does not exist yet. */
export function prepareWorkspace(flow: Flow, file: string): string {
  const dir = workspaceOf(flow, file);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new WaymarkError('FLOW_INVALID', `cannot create the workspace ${dir}: ${(err as Error).message}`, { where: { file } });
  }
  return dir;
}
