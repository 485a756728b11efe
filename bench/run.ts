/**
 * `npm run bench [-- engine|command|transcript|validation|startup ...]`: Waymark's performance figures as
 * plain tables. Figures are ratios and per-item costs; "goal" marks are informative,
 * never assertions. Temp databases live under WAYMARK_BENCH_DIR (default: the OS temp
 * folder) and are removed afterwards.
 */
import { cpus, loadavg, platform, release } from 'node:os';
import { commandVsSpawn } from './command-spawn';
import { engineOverhead, type EngineRow } from './engine-overhead';
import { transcriptGrowth, type TranscriptResult } from './transcript-growth';
import { benchBaseDir, fmt, printTable, withGoal } from './util';
import { printStartup } from './startup-report';
import { printValidation } from './validation-report';

const REPS = 3;
const BARE_COMMITS = 500;
const COMMANDS = 40;
/** Spawn timings are the noisiest figures; five cheap repetitions steady the median. */
const COMMAND_REPS = 5;
const TRANSCRIPT_SIZES = [50, 500, 5_000] as const;
const VALIDATION_SIZES = [1_000, 5_000, 10_000, 20_000] as const;
/** Process start-ups are cheap to repeat and noisy: eleven steady the median. */
const STARTUP_REPS = 11;

function printEngine(rows: readonly EngineRow[]): void {
  printTable(
    `1. Engine overhead per phase (no-op phases, durable SqliteStore; median of ${REPS} after 1 warm-up)`,
    [
      { header: 'shape', align: 'left' }, { header: 'phases' }, { header: 'max_par' }, { header: 'µs/phase' }, { header: 'commits/phase' },
      { header: 'WAL pages/phase' }, { header: 'bare µs/commit' }, { header: 'ratio (goal ≤ 2 @1000)' }, { header: 'no-fsync µs/phase' }, { header: 'engine-only µs/phase' }, { header: 'load µs/phase' },
    ],
    rows.map((r) => [
      r.shape, String(r.phases), String(r.maxParallel), fmt(r.usPerPhase), fmt(r.commitsPerPhase, 2), fmt(r.walPagesPerPhase, 2), fmt(r.bareUsPerCommit),
      r.phases >= 1000 ? withGoal(r.ratio, 2) : fmt(r.ratio, 2), fmt(r.noFsyncUsPerPhase), fmt(r.engineOnlyUsPerPhase), fmt(r.loadUsPerPhase),
    ]),
    [
      'ratio = µs per phase / µs per bare durable commit (BEGIN IMMEDIATE; INSERT one row; COMMIT; WAL, synchronous=FULL),',
      `        the bare batch (${BARE_COMMITS} commits, fresh file: half just before, half just after each repetition); median of per-repetition ratios.`,
      'WAL pages/phase = pages the run appends to the WAL per phase (counted, not timed); a bare commit appends 1.',
      'no-fsync = same run with synchronous=OFF (SQL + engine CPU); engine-only = a store whose commit does nothing (engine CPU).',
      'load = parsing and validating the flow YAML, second load (not part of µs/phase).',
      ...rows.flatMap((r) => r.warnings.map((w) => `warning in ${r.shape} ${r.phases} max_parallel ${r.maxParallel}: ${w}`)),
    ],
  );
}

function printTranscript(result: TranscriptResult): void {
  const first = result.rows[0];
  const last = result.rows[result.rows.length - 1];
  printTable(
    `3. Transcript persistence growth (one commit per step, ~${fmt(result.contentBytes / 1024, 2)} KiB assistant message; median of ${REPS})`,
    [{ header: 'steps' }, { header: 'µs/step' }, { header: 'bytes written/step' }, { header: 'KiB written/step' }, { header: 'no-fsync µs/step' }, { header: 'WAL pages/step' }],
    result.rows.map((r) => [
      r.steps.toLocaleString('en-US'), fmt(r.usPerStep), fmt(r.bytesPerStep, 0), fmt(r.bytesPerStep / 1024, 2), fmt(r.noFsyncUsPerStep), fmt(r.walPagesPerStep, 2),
    ]),
    [
      `bytes measured with: ${result.bytesSource}; time and bytes run from the first step to after close (WAL checkpoints included).`,
      'no-fsync = the same growth with synchronous=OFF (CPU + SQL only). WAL pages/step = pages one more step adds to the WAL',
      '           at that size (counted, not timed: immune to disk noise). The message itself is about a quarter of one 4 KiB page.',
      ...(first && last
        ? [
          `${last.steps.toLocaleString('en-US')}-step / ${first.steps}-step per-step cost (flat ≈ 1): time ${fmt(last.usPerStep / first.usPerStep, 2)}×, `
            + `bytes ${fmt(last.bytesPerStep / first.bytesPerStep, 2)}×, no-fsync time ${fmt(last.noFsyncUsPerStep / first.noFsyncUsPerStep, 2)}×, WAL pages ${fmt(last.walPagesPerStep / first.walPagesPerStep, 2)}×`,
        ]
        : []),
    ],
  );
}

function loadAverage(): string {
  return loadavg().map((l) => fmt(l, 2)).join(' ');
}

async function main(): Promise<void> {
  const selected = new Set(process.argv.slice(2));
  const wants = (name: string) => selected.size === 0 || selected.has(name);
  const started = performance.now();
  process.stdout.write(`Waymark benchmarks — Node ${process.version}, ${platform()} ${release()}, ${cpus().length} CPU(s), temp dir ${benchBaseDir()}\n`);
  process.stdout.write(`load average at start: ${loadAverage()} (figures are wall times: other load on the machine inflates them)\n`);

  if (wants('engine')) printEngine(await engineOverhead({ reps: REPS, bareCommits: BARE_COMMITS }));

  if (wants('command')) {
    const r = await commandVsSpawn(COMMANDS, COMMAND_REPS);
    printTable(
      `2. Command phases vs plain spawn (chain of ${r.commands} × \`true\`; median of ${COMMAND_REPS} after 1 warm-up)`,
      [
        { header: 'plain spawn µs/cmd' }, { header: 'engine µs/phase' }, { header: 'extra µs/phase' }, { header: 'commits/phase' },
        { header: 'no-fsync µs/phase' }, { header: 'no-fsync ratio' }, { header: 'ratio (goal ≤ 1.2)' },
      ],
      [[
        fmt(r.plainUsPerCommand), fmt(r.engineUsPerCommand), fmt(r.engineUsPerCommand - r.plainUsPerCommand), fmt(r.commitsPerPhase, 2),
        fmt(r.noFsyncUsPerCommand), fmt(r.noFsyncUsPerCommand / r.plainUsPerCommand, 2), withGoal(r.ratio, 1.2),
      ]],
      [
        "plain = child_process.spawn('/bin/sh', ['-c', 'true']) awaited one after another; engine = real command kind, durable SqliteStore.",
        'no-fsync = the same chain with synchronous=OFF: the gap between the two is the durable commits.',
      ],
    );
  }

  if (wants('transcript')) printTranscript(await transcriptGrowth(TRANSCRIPT_SIZES, REPS));

  if (wants('validation')) await printValidation(VALIDATION_SIZES, REPS);

  if (wants('startup')) await printStartup(STARTUP_REPS);

  process.stdout.write(`\nTotal ${fmt((performance.now() - started) / 1000)} s; load average at end: ${loadAverage()}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
