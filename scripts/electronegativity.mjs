#!/usr/bin/env node
// Security scan of the Electron code with @doyensec/electronegativity (its programmatic
// API): electron/ (tests and test doubles left out — they are not shipped) plus the
// BUILT preload, the file Electron actually loads. Fails on any finding of MEDIUM
// severity or above that scripts/electronegativity-suppressions.json does not suppress;
// every suppression names the check, the file, and the reason it is acceptable, and a
// suppression that no longer matches anything fails too, so the list stays honest.
//
// Usage: node scripts/electronegativity.mjs        (exit 1 on unsuppressed findings)
// The vitest wrapper is electron/shell/security-scan.test.ts.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildElectron } from './build-electron.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
export const SUPPRESSIONS_FILE = join(ROOT, 'scripts', 'electronegativity-suppressions.json');
const MEDIUM = 2;

/**
 * Checks left out on purpose (not findings): AvailableSecurityFixesGlobalCheck downloads
 * Electron's release list from GitHub on every run; Electron upgrades are tracked by the
 * dependency updates of package.json instead.
 */
const NEEDS_NETWORK = ['AvailableSecurityFixesGlobalCheck'];

/**
 * Runs the scan; returns every finding, the ones that fail it, and stale suppressions.
 * `extraFiles` ({ 'electron/x.ts': source }) are added to the scanned copy: the test
 * uses it to prove that an insecure window would fail the scan.
 */
export async function scanElectron({ root = ROOT, suppressions = loadSuppressions(), extraFiles = {} } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'waymark-electronegativity-'));
  try {
    cpSync(join(root, 'electron'), join(work, 'electron'), { recursive: true, filter: (src) => !isTestOnly(relative(root, src)) });
    cpSync(join(root, 'package.json'), join(work, 'package.json'));
    for (const [path, text] of Object.entries(extraFiles)) {
      mkdirSync(dirname(join(work, path)), { recursive: true });
      writeFileSync(join(work, path), text);
    }
    await buildElectron({ outDir: join(work, 'dist', 'electron'), only: 'preload', sourcemap: false });
    const run = loadElectronegativity();
    const result = await run({
      input: work,
      isRelative: true,
      electronVersionOverride: electronVersion(root),
      excludeFromScan: NEEDS_NETWORK,
    });
    const findings = result.issues
      .filter((i) => i.severity.value >= MEDIUM)
      .map((i) => ({ id: i.id, file: i.file.split(sep).join('/'), line: i.location.line, column: i.location.column, severity: i.severity.name, confidence: i.confidence.name, description: i.description }));
    const used = new Set();
    const unsuppressed = findings.filter((f) => {
      const match = suppressions.find((s) => s.id === f.id && (s.file === undefined || s.file === f.file));
      if (match) used.add(match);
      return !match;
    });
    return { findings, unsuppressed, staleSuppressions: suppressions.filter((s) => !used.has(s)), errors: result.errors.filter((e) => !e.tolerable) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The checked-in suppressions; each must carry a written reason. */
export function loadSuppressions(file = SUPPRESSIONS_FILE) {
  const list = JSON.parse(readFileSync(file, 'utf8'));
  for (const s of list) {
    if (typeof s.id !== 'string' || typeof s.reason !== 'string' || s.reason.trim().length < 20) throw new Error(`${file}: every suppression needs an "id" and a written "reason" (got ${JSON.stringify(s)})`);
  }
  return list;
}

function isTestOnly(path) {
  const p = path.split(sep).join('/');
  return /\.test\.tsx?$/.test(p) || /(^|\/)testing(\/|$)/.test(p) || p.includes('/conformance');
}

function electronVersion(root) {
  return JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
}

/**
 * The runner, with its translation loader replaced by an offline one: the stock loader
 * fetches the current locale from the network on every run (slow, and a test must not
 * depend on the network). Messages come from the package's bundled English strings.
 */
function loadElectronegativity() {
  const base = dirname(require.resolve('@doyensec/electronegativity/package.json'));
  const loader = join(base, 'dist', 'locales', 'i18n.js');
  const i18n = require(require.resolve('i18n', { paths: [base] }));
  const offline = async () => {
    i18n.configure({ locales: ['en-US'], defaultLocale: 'en-US', directory: join(base, 'dist', 'locales'), updateFiles: false, objectNotation: true, register: globalThis });
    i18n.setLocale('en-US');
  };
  require.cache[loader] = { id: loader, filename: loader, loaded: true, exports: offline };
  return require(join(base, 'dist', 'runner.js'));
}

function format(f) {
  return `${f.severity} ${f.id} ${f.file}:${f.line}:${f.column} — ${f.description}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = Date.now();
  const { findings, unsuppressed, staleSuppressions, errors } = await scanElectron();
  for (const f of unsuppressed) process.stdout.write(`${format(f)}\n`);
  for (const s of staleSuppressions) process.stdout.write(`stale suppression (matches nothing; remove it): ${s.id} ${s.file ?? ''}\n`);
  for (const e of errors) process.stdout.write(`could not parse ${e.file}: ${e.message}\n`);
  const ok = unsuppressed.length === 0 && staleSuppressions.length === 0 && errors.length === 0;
  process.stdout.write(`electronegativity: ${findings.length} finding(s) at MEDIUM or above, ${findings.length - unsuppressed.length} suppressed with a reason, ${unsuppressed.length} failing (${Date.now() - started} ms)\n`);
  process.exit(ok ? 0 : 1);
}
