/**
 * What the command line says about a run that waits for a person (SPEC §3, §6): each
 * waiting approval with its prompt (shortened when long) and the exact commands that
 * decide it, the spent budget and how to raise it; and the decisions already taken.
 */
import type { BudgetState } from '../../shared/events';
import { stripVTControlCharacters } from 'node:util';
import type { ApprovalDecision, PhaseRecord, RunRecord } from '../../shared/records';
import { formatBudgetSpent, formatTokenCount, suggestBudgetUsd } from '../../shared/usage-format';
import { shellQuote } from '../engine/shell-quote';
import { plainFirstLine, shorten } from './terminal-text';

/** How much of a prompt the hint shows; `waymark show` has the rest. */
const PROMPT_LINES = 12;
const PROMPT_LINE_CHARS = 200;

/** The lines telling what `run` waits for and how to go on; empty when it does not wait. */
export function waitingHint(run: RunRecord, phases: readonly PhaseRecord[], db?: string): string {
  if (run.status !== 'waiting') return '';
  const dbFlag = db === undefined ? '' : ` --db ${shellQuote(db)}`;
  const lines = [`run ${run.id} is waiting for a person; it holds no process until then.`];
  const approvals = phases.filter((p) => p.status === 'waiting' && p.waiting?.reason === 'approval');
  for (const p of approvals) {
    lines.push('', `${p.phaseId} waits for approval${p.waiting ? ` (since ${new Date(p.waiting.since).toLocaleString()})` : ''}:`);
    lines.push(...promptLines(p.waiting?.prompt ?? '', run.id, dbFlag));
    lines.push(`  approve: waymark approve ${run.id} ${p.phaseId}${dbFlag} [--comment "what the next phases should know"]`);
    lines.push(`  reject:  waymark reject ${run.id} ${p.phaseId}${dbFlag} --reason "what must change"`);
  }
  const budget = run.waitingFor?.budget;
  const stopped = phases.filter((p) => p.status === 'waiting' && p.waiting?.reason === 'budget');
  if (budget || stopped.length > 0) lines.push('', ...budgetLines(run.id, dbFlag, budget ?? null, stopped));
  return `${lines.join('\n')}\n`;
}

/** One line per decision, oldest first: who decided what, when, and their comment. */
export function decisionLines(decisions: readonly ApprovalDecision[]): string {
  if (decisions.length === 0) return '';
  const lines = decisions.map((d) => `  ${d.phaseId} (try ${d.attempt}): ${d.decision} by ${d.by} at ${new Date(d.at).toLocaleString()}${d.comment ? ` — ${plainFirstLine(d.comment, 120)}` : ''}`);
  return `decisions:\n${lines.join('\n')}\n`;
}

/** The prompt as a quoted block; escape codes (it may hold a model's output) are dropped. */
function promptLines(prompt: string, runId: string, dbFlag: string): string[] {
  const all = stripVTControlCharacters(prompt).trimEnd().split('\n');
  const shown = all.slice(0, PROMPT_LINES).map((line) => `  | ${shorten(line, PROMPT_LINE_CHARS)}`);
  const cut = all.length > PROMPT_LINES || all.some((line, i) => i < PROMPT_LINES && line.length > PROMPT_LINE_CHARS);
  if (cut) shown.push(`  | … (shortened; the whole prompt: waymark show ${runId}${dbFlag} --json)`);
  return shown;
}


/** Spent against the limit, and the exact command that raises it (a USD limit), or where to (a token limit: the flow file). */
function budgetLines(runId: string, dbFlag: string, budget: BudgetState | null, stopped: readonly PhaseRecord[]): string[] {
  const which = stopped.length > 0 ? ` (stopped: ${stopped.map((p) => p.phaseId).join(', ')})` : '';
  const lines = [`the budget is reached: ${budget ? formatBudgetSpent(budget) : 'spent'}${which}.`];
  if (!budget || budget.limit.usd !== undefined) {
    const raise = budget ? String(suggestBudgetUsd(budget)) : 'N';
    lines.push(`  raise it and continue: waymark resume ${runId}${dbFlag} --budget-usd ${raise}`);
  }
  if (budget?.limit.tokens !== undefined) {
    lines.push(`  ${budget.limit.usd !== undefined ? 'the token limit: ' : ''}raise budget.tokens in the flow file (now ${formatTokenCount(budget.limit.tokens)}), then: waymark resume ${runId}${dbFlag}`);
  }
  return lines;
}
