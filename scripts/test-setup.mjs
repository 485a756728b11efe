// vitest globalSetup: tests that spawn `bin/waymark.mjs` must run today's code. The bin
// rebuilds a stale command line itself, but dozens of test processes doing it at once
// would each pay for it, so it is brought up to date once here, before any test starts.
import { buildCli } from './build-electron.mjs';
import { cliStaleness } from './cli-stamp.mjs';

export async function setup() {
  const stale = cliStaleness();
  if (!stale) return;
  try {
    await buildCli({ logLevel: 'error' });
  } catch (err) {
    // The tests still run: the bin then falls back to the sources, saying so on stderr.
    process.stderr.write(`test setup: could not build the command line (${err instanceof Error ? err.message.split('\n')[0] : String(err)})\n`);
  }
}
