#!/usr/bin/env node
// `npm test`: unit tests, then the browser e2e tests; both always run, and the exit
// code is non-zero if either failed. Each writes a JSON report under test-results/.
import { spawnSync } from 'node:child_process';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (script) => spawnSync(npm, ['run', script], { stdio: 'inherit', shell: process.platform === 'win32' }).status ?? 1;

const unit = run('test:unit');
const e2e = run('test:e2e');
process.exit(unit === 0 && e2e === 0 ? 0 : 1);
