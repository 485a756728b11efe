/**
 * `approval` phases: a person decides (SPEC §2). The phase renders its `prompt` for the
 * reviewer and parks until a decision arrives (PhaseContext.awaitDecision records
 * `phase.waiting` with it; decisions come from the app or `waymark approve`/`reject`).
 * Approved: it succeeds with the reviewer's comment as its output. Rejected: it fails
 * with APPROVAL_REJECTED, which is never retried. If the run ends while it waits, the
 * run is `waiting` and a decision is recorded by the store instead (store.decide).
 */
import { renderTemplate } from '../../../shared/flow/template';
import { rejectedBy } from '../../store/decide-rules';
import { PhaseFailure, type PhaseKindModule } from '../phase-kind';

/** Characters of the rendered prompt kept for the reviewer; a longer one is cut with a note. */
export const APPROVAL_PROMPT_CHARS = 64 * 1024;

export const approvalKind: PhaseKindModule<'approval'> = {
  kind: 'approval',
  async execute(ctx) {
    const { phase } = ctx;
    const rendered = renderTemplate(phase.prompt, (ref) => (ref.type === 'input' ? (ctx.inputs[ref.name] ?? '') : (ctx.outputs.get(ref.phaseId) ?? '')));
    const { decision, by, comment } = await ctx.awaitDecision(shortened(rendered));
    if (decision === 'approved') return { output: comment };
    throw new PhaseFailure('APPROVAL_REJECTED', rejectedBy(by, comment));
  },
};

function shortened(prompt: string): string {
  if (prompt.length <= APPROVAL_PROMPT_CHARS) return prompt;
  return `${prompt.slice(0, APPROVAL_PROMPT_CHARS)}\n… (shortened: ${prompt.length - APPROVAL_PROMPT_CHARS} more characters; see the outputs it names)`;
}
