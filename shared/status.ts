/** Status enumerations shared by the engine, the store, the API and the renderer (SPEC §3). */

/**
 * `queued`: submitted with `--queue`, waiting for a worker to claim it (SPEC §7).
 * `waiting`: the run cannot go on without a person (an approval, a spent budget).
 */
export const RUN_STATUSES = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'interrupted', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/**
 * `waiting`: an approval phase waiting for a reviewer's decision, or an agent phase
 * stopped at a step boundary because the run's budget is spent.
 */
export const PHASE_STATUSES = ['pending', 'running', 'waiting', 'succeeded', 'failed', 'interrupted', 'skipped'] as const;
export type PhaseStatus = (typeof PHASE_STATUSES)[number];

/**
 * Runs in these states can be resumed: they continue as the same run with a new attempt.
 * A `waiting` run resumes once approved (`approve` resumes it) or with a raised budget.
 */
export const RESUMABLE_RUN_STATUSES: readonly RunStatus[] = ['failed', 'interrupted', 'cancelled', 'waiting'];

export function isResumable(status: RunStatus): boolean {
  return RESUMABLE_RUN_STATUSES.includes(status);
}

/** Process exit codes of the CLI (SPEC §6). */
export const EXIT_CODES = {
  succeeded: 0,
  failed: 1,
  usage: 2,
  interrupted: 3,
  cancelled: 4,
  waiting: 5,
} as const;

/** The exit code for a run's status; `queued` is what `--queue` reports on success (submitted). */
export function exitCodeFor(status: RunStatus): number {
  switch (status) {
    case 'succeeded':
    case 'queued':
      return EXIT_CODES.succeeded;
    case 'failed':
      return EXIT_CODES.failed;
    case 'interrupted':
    case 'running':
      return EXIT_CODES.interrupted;
    case 'cancelled':
      return EXIT_CODES.cancelled;
    case 'waiting':
      return EXIT_CODES.waiting;
    default:
      return assertNever(status);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
