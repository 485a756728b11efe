/** `waymark validate FLOW.yaml`: every problem at once, each with file:line:column. */
import { formatProblem } from '../../shared/flow/problems';
import { EXIT_CODES } from '../../shared/status';
import { readFlowFile, validateFlowSource } from '../engine/flow-file';
import { exitCodeForError, reportError, type CliIO } from './cli-context';

export function validateCommand(flowFile: string, io: CliIO): number {
  try {
    const { source, file } = readFlowFile(flowFile);
    const result = validateFlowSource(source, file);
    if (!result.ok) {
      for (const p of result.problems) io.stderr.write(`${formatProblem(p)}\n`);
      io.stderr.write(`${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} in ${flowFile}\n`);
      return EXIT_CODES.usage;
    }
    const n = result.flow.phases.length;
    io.stdout.write(`${flowFile} is valid: flow "${result.flow.name}", ${n} phase${n === 1 ? '' : 's'} (${result.flow.phases.map((p) => p.id).join(' → ')})\n`);
    return EXIT_CODES.succeeded;
  } catch (err) {
    reportError(io, err);
    return exitCodeForError(err);
  }
}
