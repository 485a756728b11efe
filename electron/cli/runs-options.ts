/**
 * The options of `waymark runs` (SPEC §6): `--limit N` (default 50) or `--all`, and
 * `--status S`. Parsed by commander with these rules, so a bad value is a usage error
 * (exit 2) with a message that says what is accepted.
 */
import { InvalidArgumentError, Option } from 'commander';
import { RUN_STATUSES, type RunStatus } from '../../shared/status';

export const DEFAULT_RUNS_LIMIT = 50;

export interface RunsOptions {
  limit?: number;
  all?: boolean;
  status?: RunStatus;
}

/** `--limit N`: a whole number from 1 up. */
export function parseLimit(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError(`expected a whole number of runs, 1 or more (or --all for every run)`);
  }
  return Number(value);
}

export const limitOption = (): Option => new Option('--limit <n>', `how many runs, newest first (default ${DEFAULT_RUNS_LIMIT})`).argParser(parseLimit);
export const allOption = (): Option => new Option('--all', 'every run').conflicts('limit');
export const statusOption = (): Option => new Option('--status <status>', 'only runs in this status').choices(RUN_STATUSES);

/** How many runs to read: every one for `--all`. */
export function runsLimit(options: RunsOptions): number {
  return options.all ? Number.MAX_SAFE_INTEGER : (options.limit ?? DEFAULT_RUNS_LIMIT);
}
