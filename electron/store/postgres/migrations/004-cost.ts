import type { PgMigration } from './migration';

/**
 * Cost, as SQLite migration 005: each model step (a transcript row with tokens) gains
 * its cached-input, cache-write and reasoning tokens and its cost in USD (NULL: no known
 * price); runs, attempts, phases and phase tries gain the sums, the steps counted and
 * how many had no price; an attempt gains its budget (JSON text). Steps recorded before
 * were never priced, so every sum counts them as unpriced steps.
 */
export const migration004: PgMigration = {
  version: 4,
  name: 'cost',
  up: async (sql) => {
    const totals = `
      ADD COLUMN cached_input_tokens bigint NOT NULL DEFAULT 0,
      ADD COLUMN reasoning_tokens    bigint NOT NULL DEFAULT 0,
      ADD COLUMN cost_usd            double precision NOT NULL DEFAULT 0,
      ADD COLUMN steps               bigint NOT NULL DEFAULT 0,
      ADD COLUMN unpriced_steps      bigint NOT NULL DEFAULT 0`;
    await sql.query(`
      ALTER TABLE runs ${totals};
      ALTER TABLE run_attempts ${totals}, ADD COLUMN budget_json text;
      ALTER TABLE run_phases ${totals};
      ALTER TABLE phase_attempts ${totals};
      ALTER TABLE transcript
        ADD COLUMN cached_input_tokens bigint,
        ADD COLUMN cache_write_tokens  bigint,
        ADD COLUMN reasoning_tokens    bigint,
        ADD COLUMN cost_usd            double precision;

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
