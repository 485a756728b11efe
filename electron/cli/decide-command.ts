/**
 * `waymark approve RUN PHASE [--comment TEXT]` and `waymark reject RUN PHASE --reason
 * TEXT` (SPEC §6). The decision is durable before anything goes on (Engine.decide);
 * `approve` then continues the run in this process like `resume` and exits by its
 * outcome (0 succeeded, 1 failed, 3 interrupted, 4 cancelled, 5 waiting again);
 * `reject` fails the phase and the run (exit 1; a resume asks again). A decision that
 * cannot apply (unknown phase, not waiting, already decided by someone) exits 2.
 */
import { WaymarkError } from '../../shared/errors';
import { errorJson } from './json-output';
import { exitCodeForError, reportError, writeJson, type CliIO } from './cli-context';
import { foreground } from './run-command';

export interface ApproveOptions {
  comment?: string;
  db?: string;
  json?: boolean;
}

export interface RejectOptions {
  reason?: string;
  db?: string;
  json?: boolean;
}

export function approveCommand(runId: string, phaseId: string, options: ApproveOptions, io: CliIO): Promise<number> {
  return foreground(options, io, (engine) => engine.decide({ runId, phaseId, decision: 'approved', comment: options.comment ?? '' }), runId);
}

export async function rejectCommand(runId: string, phaseId: string, options: RejectOptions, io: CliIO): Promise<number> {
  if (options.reason === undefined || options.reason.trim() === '') {
    const err = new WaymarkError('USAGE', `a rejection needs a reason: waymark reject ${runId} ${phaseId} --reason "what must change"`);
    reportError(io, err);
    if (options.json) writeJson(io, errorJson(err.message));
    return exitCodeForError(err);
  }
  const reason = options.reason;
  return foreground(options, io, (engine) => engine.decide({ runId, phaseId, decision: 'rejected', comment: reason }), runId);
}
