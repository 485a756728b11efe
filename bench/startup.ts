/**
 * Benchmark 5: how fast the built product starts. Each figure is measured alternating
 * with its floor, in the same run, as whole processes (wall time from spawn):
 *   validate      `waymark validate` vs a bare `node -e 0`
 *   resume        `waymark resume` until its first frontier command runs vs a bare Node
 *                 process spawning the same command (the command writes the clock)
 *   runs start    `runs --json` on a database of one run vs a bare `node -e 0`
 *   runs / show   `runs --json --all` on 1,000 runs and `show --json` of a 1,000-phase
 *                 run vs the same command on a database of one run of one phase: the
 *                 difference is the cost of answering, beyond start-up
 *   desktop       the built main bundle, under the stand-in electron, from the spawn of
 *                 its process to its first window asking for the app, vs the same
 *                 harness running a main script that only opens a window when ready
 */
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { databaseOf, frontierFlow } from './startup-fixtures';
import { median, repeat, withTempDir } from './util';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const BIN = join(ROOT, 'bin', 'waymark.mjs');

export interface Pair {
  ms: number;
  floorMs: number;
}

export interface StartupResult {
  validate: Pair;
  resume: Pair;
  /** `runs --json` on a one-run database; floorMs: `node -e 0`. */
  runsStart: Pair;
  /** floorMs: the same command on a one-run, one-phase database. */
  runs: Pair;
  show: Pair;
  /** ms: spawn to first window of the built main bundle; floorMs: of a minimal main script. `loadMs`: requiring the bundle. */
  desktop: (Pair & { loadMs: number }) | { error: string };
  reps: number;
}

/** Wall milliseconds of one process; throws when it exits with another code than `code`. */
function timed(args: string[], code = 0): number {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - start;
  if (r.status !== code) throw new Error(`node ${args.join(' ')} exited ${r.status}, expected ${code}: ${r.stderr}`);
  return ms;
}

/** Milliseconds from spawning `args` to the moment the command behind `stamp` wrote the clock. */
function untilStamp(args: string[], stamp: string, code: number): number {
  const start = performance.timeOrigin + performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== code) throw new Error(`node ${args.join(' ')} exited ${r.status}, expected ${code}: ${r.stderr}`);
  return Number(BigInt(readFileSync(stamp, 'utf8').trim()) / 1000n) / 1000 - start;
}

/** Median of each side, the two measured alternately `reps` times after a warm-up. */
async function pair(reps: number, measure: () => number, floor: () => number): Promise<Pair> {
  const runs = await repeat(1, reps, () => ({ ms: measure(), floorMs: floor() }));
  return { ms: median(runs.map((r) => r.ms)), floorMs: median(runs.map((r) => r.floorMs)) };
}

async function resumePair(dir: string, reps: number): Promise<Pair> {
  const stamp = join(dir, 'stamp');
  const command = `date +%s%N > '${stamp}'`;
  const db = join(dir, 'resume.db');
  const first = spawnSync(process.execPath, [BIN, 'run', frontierFlow(dir, command), '--db', db, '--json'], { encoding: 'utf8' });
  const runId = (JSON.parse(first.stdout) as { runId: string }).runId;
  const spawner = `require('node:child_process').spawn('/bin/sh', ['-c', ${JSON.stringify(command)}], { stdio: 'inherit' })`;
  return pair(reps, () => untilStamp([BIN, 'resume', runId, '--db', db], stamp, 1), () => untilStamp(['-e', spawner], stamp, 0));
}

async function readPairs(dir: string, reps: number): Promise<Pick<StartupResult, 'runsStart' | 'runs' | 'show'>> {
  const manyRuns = join(dir, 'many-runs.db');
  const manyPhases = join(dir, 'many-phases.db');
  const tiny = join(dir, 'tiny.db');
  await databaseOf(manyRuns, 1_000, 1);
  const bigRun = await databaseOf(manyPhases, 1, 1_000);
  const tinyRun = await databaseOf(tiny, 1, 1);
  return {
    runsStart: await pair(reps, () => timed([BIN, 'runs', '--json', '--db', tiny]), () => timed(['-e', '0'])),
    runs: await pair(reps, () => timed([BIN, 'runs', '--json', '--all', '--db', manyRuns]), () => timed([BIN, 'runs', '--json', '--all', '--db', tiny])),
    show: await pair(reps, () => timed([BIN, 'show', bigRun, '--json', '--db', manyPhases]), () => timed([BIN, 'show', tinyRun, '--json', '--db', tiny])),
  };
}

/**
 * The desktop main bundle, built afresh into `dir`, booted `reps` times alternating with
 * the floor, a main script that only opens a window when the app is ready; medians. Both
 * are timed from the spawn of their process to the first window asking for the app. The
 * harness (boot-main.ts and the stand-in electron) is bundled too and run by plain Node:
 * under tsx, the bundle itself would go through tsx's loader, which is not what ships.
 */
async function desktop(dir: string, reps: number): Promise<StartupResult['desktop']> {
  const script = pathToFileURL(join(ROOT, 'scripts', 'build-electron.mjs')).href;
  const { buildElectron } = (await import(script)) as { buildElectron(o: object): Promise<{ main: string }> };
  const { main } = await buildElectron({ outDir: join(dir, 'desktop'), only: 'main', sourcemap: false });
  const floorMain = join(dir, 'floor-main.cjs');
  writeFileSync(floorMain, "const { app, BrowserWindow } = require('electron');\napp.whenReady().then(() => new BrowserWindow({ show: false }).loadURL('app://waymark/index.html'));\n");
  const harness = join(dir, 'boot-main.mjs');
  await build({ entryPoints: [join(ROOT, 'bench', 'boot-main.ts')], outfile: harness, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' });
  const boot = (bundle: string, work: string): Boot => {
    const spawnedAt = performance.timeOrigin + performance.now();
    const r = spawnSync(process.execPath, [harness, bundle, work], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, WAYMARK_DB: `${work}.db`, NODE_PATH: join(ROOT, 'node_modules') },
    });
    const report = JSON.parse(r.stdout.trim().split('\n')[0] || '{"error":"no report"}') as { loadMs: number; windowAt: number } | { error: string };
    return 'error' in report ? report : { loadMs: report.loadMs, ms: report.windowAt - spawnedAt };
  };
  const boots = await repeat(1, reps, (rep) => ({ app: boot(main, join(dir, `boot-${rep}`)), floor: boot(floorMain, join(dir, `floor-${rep}`)) }));
  const failed = boots.flatMap((b) => [b.app, b.floor]).find((b): b is { error: string } => 'error' in b);
  if (failed) return failed;
  const ok = boots as { app: Booted; floor: Booted }[];
  return { ms: median(ok.map((b) => b.app.ms)), floorMs: median(ok.map((b) => b.floor.ms)), loadMs: median(ok.map((b) => b.app.loadMs)) };
}

type Booted = { ms: number; loadMs: number };
type Boot = Booted | { error: string };

export async function startup(reps: number): Promise<StartupResult> {
  await ensureCliBuilt();
  return withTempDir('startup', async (dir) => {
    const flow = join(ROOT, 'examples', 'hello.yaml');
    const validate = await pair(reps, () => timed([BIN, 'validate', flow]), () => timed(['-e', '0']));
    const resume = await resumePair(dir, reps);
    const reads = await readPairs(dir, reps);
    return { validate, resume, ...reads, desktop: await desktop(dir, reps), reps };
  });
}

/** The bin rebuilds a stale CLI itself, but that run must not be one of the timed ones. */
async function ensureCliBuilt(): Promise<void> {
  const stamp = (await import(pathToFileURL(join(ROOT, 'scripts', 'cli-stamp.mjs')).href)) as { cliStaleness(): string | null };
  if (!stamp.cliStaleness()) return;
  const { buildCli } = (await import(pathToFileURL(join(ROOT, 'scripts', 'build-electron.mjs')).href)) as { buildCli(o: object): Promise<unknown> };
  await buildCli({ logLevel: 'warning' });
}
