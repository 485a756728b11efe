/**
 * The resumed-run notice (SPEC §4) appended to the system prompt of frontier agent
 * phases: this is a re-run, reconcile partial work, and the previous error if any.
 */
import { formatError } from '../../../shared/errors';
import type { AgentPhase } from '../../../shared/flow/schema';
import type { ResumeNotice } from '../phase-kind';

export function resumeNoticeText(notice: ResumeNotice): string {
  const lines = [
    'Note: this is a re-run of a task whose previous run was interrupted or failed.',
    'Files in the workspace may be partially written by that earlier attempt: check what already exists and reconcile it (finish, fix or replace it) before continuing.',
  ];
  if (notice.previousError) lines.push(`The previous attempt failed with: ${formatError(notice.previousError)}`);
  return lines.join('\n');
}

export function withResumeNotice(phase: AgentPhase, notice: ResumeNotice): AgentPhase {
  const text = resumeNoticeText(notice);
  return { ...phase, system: phase.system ? `${phase.system}\n\n${text}` : `${DEFAULT_SYSTEM}\n\n${text}` };
}

/** Used when a phase sets no `system`. */
export const DEFAULT_SYSTEM = 'You are an AI agent carrying out one phase of an automated workflow. Your final answer is passed on to the next phases, so end with the result itself.';
