/**
 * `waymark validate FLOW.yaml`: every problem at once, each with file:line:column. A
 * flow with `budget.usd` is also checked for a price of every model it uses, which loads
 * the price catalogue (pricing/budget-prices.ts); other flows never load it.
 */
import { formatProblem, type FlowProblem } from '../../shared/flow/problems';
import type { Flow } from '../../shared/flow/schema';
import { EXIT_CODES } from '../../shared/status';
import { readFlowFile, validateFlowSource } from '../engine/flow-file';
import { exitCodeForError, reportError, type CliIO } from './cli-context';

export async function validateCommand(flowFile: string, io: CliIO): Promise<number> {
  try {
    const { source, file } = readFlowFile(flowFile);
    const result = validateFlowSource(source, file);
    const problems: FlowProblem[] = result.ok ? await budgetProblems(result.flow, source, file) : result.problems;
    if (!result.ok || problems.length > 0) {
      for (const p of problems) io.stderr.write(`${formatProblem(p)}\n`);
      io.stderr.write(`${problems.length} problem${problems.length === 1 ? '' : 's'} in ${flowFile}\n`);
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

async function budgetProblems(flow: Flow, source: string, file: string): Promise<FlowProblem[]> {
  if (flow.budget?.usd === undefined) return [];
  const { unpricedModelProblems } = await import('../engine/pricing/budget-prices');
  return unpricedModelProblems(flow, source, file);
}
