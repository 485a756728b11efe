#!/usr/bin/env node
// Prints the one summary line CI reads: "N passed, N failed", from the JSON reports of
// vitest and Playwright plus the lint and type-check steps (passed as arguments).
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;

for (const arg of process.argv.slice(2)) {
  const [name, code] = arg.split('=');
  if (code === '0') passed += 1;
  else {
    failed += 1;
    console.log(`check failed: ${name}`);
  }
}

const vitest = 'test-results/vitest.json';
if (existsSync(vitest)) {
  const r = JSON.parse(readFileSync(vitest, 'utf8'));
  passed += r.numPassedTests ?? 0;
  failed += (r.numFailedTests ?? 0) + (r.numTotalTestSuites > 0 && r.success === false && !r.numFailedTests ? 1 : 0);
} else {
  failed += 1;
  console.log(`missing ${vitest}: the unit tests did not run`);
}

const playwright = 'test-results/playwright.json';
if (existsSync(playwright)) {
  const s = JSON.parse(readFileSync(playwright, 'utf8')).stats ?? {};
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  failed += s.unexpected ?? 0;
} else if (existsSync('playwright.config.ts')) {
  failed += 1;
  console.log(`missing ${playwright}: the e2e tests did not run`);
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
