/** Prints benchmark 5 (startup.ts, runs-page.ts) as tables of ratios to floors, with the goals of the issue. */
import { runsListPages } from './runs-page';
import { startup } from './startup';
import { fmt, printTable, withGoal } from './util';

const goal = (ok: boolean) => (ok ? '✓' : '✗');
/** Page reads are short: many repetitions steady the median. */
const PAGE_REPS = 50;

export async function printStartup(reps: number): Promise<void> {
  const r = await startup(reps);
  const extra = (p: { ms: number; floorMs: number }) => {
    const beyond = p.ms - p.floorMs;
    return `${beyond < 0 ? '−' : '+'}${fmt(Math.abs(beyond))} ms ${goal(beyond <= 20)}`;
  };
  const d = r.desktop;
  printTable(
    `5. Start-up of the built command line and desktop app (median of ${r.reps} after 1 warm-up, each alternating with its floor)`,
    [{ header: 'figure', align: 'left' }, { header: 'ms' }, { header: 'floor ms' }, { header: 'ratio / beyond floor', align: 'left' }, { header: 'goal', align: 'left' }],
    [
      ['waymark validate (floor: node -e 0)', fmt(r.validate.ms), fmt(r.validate.floorMs), withGoal(r.validate.ms / r.validate.floorMs, 3), '≤ 3×'],
      ['waymark resume → first frontier command (floor: bare node spawning it)', fmt(r.resume.ms), fmt(r.resume.floorMs), `${withGoal(r.resume.ms / r.resume.floorMs, 3.5)}, ${fmt(r.resume.ms, 0)} ms ${goal(r.resume.ms <= 200)}`, '≤ 3.5× and ≤ 200 ms'],
      ['waymark runs --json, 1 run (floor: node -e 0)', fmt(r.runsStart.ms), fmt(r.runsStart.floorMs), fmt(r.runsStart.ms / r.runsStart.floorMs, 2), 'informative'],
      ['waymark runs --json --all, 1,000 runs (floor: 1 run)', fmt(r.runs.ms), fmt(r.runs.floorMs), extra(r.runs), '≤ 20 ms beyond'],
      ['waymark show --json, 1,000-phase run (floor: 1 phase)', fmt(r.show.ms), fmt(r.show.floorMs), extra(r.show), '≤ 20 ms beyond'],
      'error' in d
        ? ['desktop main bundle → first window', '', '', `failed: ${d.error}`, '']
        : ['desktop main bundle → first window (floor: a main that only opens one)', fmt(d.ms), fmt(d.floorMs), `${fmt(d.ms / d.floorMs, 2)}×, bundle loaded in ${fmt(d.loadMs)} ms`, 'informative'],
    ],
    [
      'Whole processes, wall time from spawn, through bin/waymark.mjs (its freshness check included) on the built dist/cli.',
      'resume: the frontier command writes the clock (date +%s%N); the floor is `node -e` spawning the same command through /bin/sh.',
      'runs and show open the store and reap dead owners without loading the engine.',
      'desktop: dist/electron/main.cjs built afresh, run by plain Node with the stand-in electron of electron/shell/testing,',
      '         from the spawn to its first window asking for the app; the floor runs a one-line main the same way.',
    ],
  );

  const p = await runsListPages(PAGE_REPS);
  printTable(
    `5b. The app's runs list: one page of runs.list (${p.pageSize} runs) on a SQLite database of ${p.runs.toLocaleString('en-US')} runs (median of ${PAGE_REPS} after 3 warm-ups)`,
    [{ header: 'page', align: 'left' }, { header: 'ms' }, { header: 'ratio to the first page (flat ≈ 1)', align: 'left' }],
    [
      ['first (newest runs)', fmt(p.firstMs, 2), '1.00'],
      [`middle (page ${Math.floor(p.pages / 2) + 1} of ${p.pages})`, fmt(p.middleMs, 2), fmt(p.middleMs / p.firstMs, 2)],
      [`last (page ${p.pages})`, fmt(p.lastMs, 2), fmt(p.lastMs / p.firstMs, 2)],
      [`all ${p.pages} pages, newest to oldest, once`, fmt(p.allPagesMs, 1), ''],
    ],
    ['As the runs.list handler reads a page: listRuns(limit + 1, status, before) on the read connection, then pageOf (keyset paging on runs_by_created).'],
  );
}
