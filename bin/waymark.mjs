#!/usr/bin/env node
// Entry point of the `waymark` command. Runs the TypeScript sources through tsx, so a
// fresh clone works right after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli/main.ts');
const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
process.exitCode = code;
