#!/usr/bin/env node
// Entry point of the `waymark` command. Runs the TypeScript sources through tsx, so a
// fresh clone works right after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
// `waymark runs | head -1`: the reader went away. Drop the rest of the output quietly
// (no EPIPE stack trace); a running flow still finishes and records its outcome.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code !== 'EPIPE') throw err;
  });
}
const { main } = await import('../electron/cli/main.ts');
const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
process.exitCode = code;
