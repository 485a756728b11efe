/** Reads a flow file from disk and validates it; problems become one FLOW_INVALID error. */
import { mkdirSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, resolve } from 'node:path';
import { WaymarkError } from '../../shared/errors';
import { parseFlow, type LoadResult } from '../../shared/flow/load';
import { formatProblem } from '../../shared/flow/problems';
import type { Flow } from '../../shared/flow/schema';
import { decodeFlowText, readFlowBytesSync } from './flow-read';

export interface LoadedFlow {
  flow: Flow;
  source: string;
  file: string;
}

/**
 * The text of the flow file at `path`. Never blocks and never reads without bound (see
 * flow-read.ts): FLOW_NOT_FOUND for a missing file, a FIFO, a device or a folder;
 * FLOW_INVALID, located, for a file over the size cap or bytes that are not UTF-8.
 */
export function readFlowFile(path: string): { source: string; file: string } {
  const file = resolve(path);
  const { text, problem } = decodeFlowText(readFlowBytesSync(file).bytes);
  if (problem) throw new WaymarkError('FLOW_INVALID', problem.message, { where: { file, line: problem.line, column: problem.column } });
  return { source: text, file };
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
