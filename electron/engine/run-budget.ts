/**
 * Which budget an attempt runs under (SPEC §6 `resume --budget-usd`), recorded in its
 * `run.started.budget`:
 * - `--budget-usd N` when given: the usd limit is N (a token limit in force stays);
 * - else, when the flow's `budget:` is the one the last attempt's flow declared, the last
 *   attempt's budget: a raise given on one resume holds for the next;
 * - else the flow's `budget:` (the user edited it: that wins).
 *
 * And what the run spent before the attempt: every attempt counts (SPEC §2).
 */
import { WaymarkError } from '../../shared/errors';
import type { Budget } from '../../shared/events';
import { parseFlow } from '../../shared/flow/load';
import type { AttemptRecord, RunRecord } from '../../shared/records';
import type { Spent } from './budget';

/** The budget of a resumed attempt; undefined when it has none. */
export function resumeBudget(flowBudget: Budget | undefined, last: AttemptRecord | undefined, budgetUsd?: number): Budget | undefined {
  const before = last ? declaredBudget(last.flowSource) : undefined;
  const base = last && sameBudget(flowBudget, before) ? (last.budget ?? undefined) : flowBudget;
  if (budgetUsd === undefined) return base && { ...base };
  return { ...base, usd: budgetUsd };
}

/** Refuses a `--budget-usd` that is not a positive number of dollars (exit 2). */
export function checkBudgetUsd(value: number | undefined): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new WaymarkError('USAGE', `--budget-usd must be a number of US dollars above 0, e.g. --budget-usd 5 (got ${String(value)})`);
  }
}

export function spentBy(run: Pick<RunRecord, 'usage'>): Spent {
  return { usd: run.usage.costUsd, tokens: run.usage.inputTokens + run.usage.outputTokens };
}

/** The `budget:` a stored flow text declares (none when it no longer parses). */
function declaredBudget(source: string): Budget | undefined {
  const loaded = parseFlow(source);
  return loaded.ok ? loaded.flow.budget : undefined;
}

function sameBudget(a: Budget | undefined, b: Budget | undefined): boolean {
  return a?.usd === b?.usd && a?.tokens === b?.tokens;
}
