/**
 * `resume --budget-usd N` (SPEC §6): the USD limit of the attempt, e.g. raised after a
 * run stopped at its budget; it holds for later resumes until the flow's `budget:`
 * changes (engine/run-budget.ts). Anything but a positive number of dollars is a usage
 * error (exit 2) that says what is accepted.
 */
import { InvalidArgumentError, Option } from 'commander';

export function parseBudgetUsd(value: string): number {
  const text = value.trim().replace(/^\$/, '');
  const usd = /^\d+(\.\d+)?$|^\.\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(usd) || usd <= 0) throw new InvalidArgumentError(`expected an amount of US dollars above 0, such as 5 or 12.50`);
  return usd;
}

export const budgetUsdOption = (): Option =>
  new Option('--budget-usd <n>', "the run's spending limit in US dollars from this attempt on, across all its attempts (raise it to continue a run that stopped at its budget)").argParser(parseBudgetUsd);
