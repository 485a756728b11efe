import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts'],
    // Builds dist/cli first when its sources changed: CLI tests spawn the built bin.
    globalSetup: ['scripts/test-setup.mjs'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Much of the suite waits on real processes, SQLite and PostgreSQL rather than the CPU:
    // at least two test files at once, even on two cores (vitest's default there is one).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
