import type { Migration } from './migration';

/** The summed columns each of runs, run_attempts, run_phases and phase_attempts gains. */
const TOTAL_COLUMNS = `
  cached_input_tokens INTEGER NOT NULL DEFAULT 0,
  reasoning_tokens    INTEGER NOT NULL DEFAULT 0,
  cost_usd            REAL NOT NULL DEFAULT 0,
  steps               INTEGER NOT NULL DEFAULT 0,
  unpriced_steps      INTEGER NOT NULL DEFAULT 0`;

/**
 * Cost (SPEC §3, docs/costs-and-budgets.md). Each model step (a transcript row with
 * tokens) gains its cached-input, cache-write and reasoning tokens and its cost in USD,
 * fixed when it ran (NULL: no known price). Runs, attempts, phases and phase tries gain
 * the sums of those, the steps counted and how many had no price; an attempt gains the
 * budget it ran under (`run.started.budget`, JSON; NULL: none).
 *
 * Steps recorded before this migration were never priced: every sum counts them as
 * steps without a price, so their runs show "no price" rather than a cost of $0.
 */
export const migration005: Migration = {
  version: 5,
  name: 'cost',
  up: (db) => {
    for (const table of ['runs', 'run_attempts', 'run_phases', 'phase_attempts']) {
      for (const column of TOTAL_COLUMNS.split(',')) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column.trim()}`);
    }
    db.exec(`
      ALTER TABLE run_attempts ADD COLUMN budget_json TEXT;
      ALTER TABLE transcript ADD COLUMN cached_input_tokens INTEGER;
      ALTER TABLE transcript ADD COLUMN cache_write_tokens INTEGER;
      ALTER TABLE transcript ADD COLUMN reasoning_tokens INTEGER;
      ALTER TABLE transcript ADD COLUMN cost_usd REAL;

      UPDATE runs SET steps = (SELECT COUNT(*) FROM transcript t WHERE t.run_id = runs.id AND t.input_tokens IS NOT NULL);
      UPDATE run_phases SET steps = (SELECT COUNT(*) FROM transcript t
        WHERE t.run_id = run_phases.run_id AND t.phase_id = run_phases.phase_id AND t.input_tokens IS NOT NULL);
      UPDATE phase_attempts SET steps = (SELECT COUNT(*) FROM transcript t
        WHERE t.run_id = phase_attempts.run_id AND t.phase_id = phase_attempts.phase_id AND t.attempt = phase_attempts.attempt AND t.input_tokens IS NOT NULL);
      UPDATE run_attempts SET steps = (SELECT COUNT(*) FROM transcript t JOIN phase_attempts pa
          ON pa.run_id = t.run_id AND pa.phase_id = t.phase_id AND pa.attempt = t.attempt
        WHERE t.run_id = run_attempts.run_id AND pa.run_attempt = run_attempts.attempt AND t.input_tokens IS NOT NULL);
      UPDATE runs SET unpriced_steps = steps;
      UPDATE run_phases SET unpriced_steps = steps;
      UPDATE phase_attempts SET unpriced_steps = steps;
      UPDATE run_attempts SET unpriced_steps = steps;
    `);
  },
};
