/** Prints benchmark 5 (startup.ts) as a table of ratios to floors, with the goals of the issue. */
import { startup } from './startup';
import { fmt, printTable, withGoal } from './util';

const goal = (ok: boolean) => (ok ? '✓' : '✗');

export async function printStartup(reps: number): Promise<void> {
  const r = await startup(reps);
  const extra = (p: { ms: number; floorMs: number }) => {
    const beyond = p.ms - p.floorMs;
    return `${beyond < 0 ? '−' : '+'}${fmt(Math.abs(beyond))} ms ${goal(beyond <= 20)}`;
  };
  const desktop = 'error' in r.desktop ? [`desktop main bundle: ${r.desktop.error}`] : [];
  printTable(
    `5. Start-up of the built command line and desktop app (median of ${r.reps} after 1 warm-up, each alternating with its floor)`,
    [{ header: 'figure', align: 'left' }, { header: 'ms' }, { header: 'floor ms' }, { header: 'ratio / beyond floor', align: 'left' }, { header: 'goal', align: 'left' }],
    [
      ['waymark validate (floor: node -e 0)', fmt(r.validate.ms), fmt(r.validate.floorMs), withGoal(r.validate.ms / r.validate.floorMs, 3), '≤ 3×'],
      ['waymark resume → first frontier command (floor: bare node spawning it)', fmt(r.resume.ms), fmt(r.resume.floorMs), `${withGoal(r.resume.ms / r.resume.floorMs, 3.5)}, ${fmt(r.resume.ms, 0)} ms ${goal(r.resume.ms <= 200)}`, '≤ 3.5× and ≤ 200 ms'],
      ['waymark runs --json --all, 1,000 runs (floor: 1 run)', fmt(r.runs.ms), fmt(r.runs.floorMs), extra(r.runs), '≤ 20 ms beyond'],
      ['waymark show --json, 1,000-phase run (floor: 1 phase)', fmt(r.show.ms), fmt(r.show.floorMs), extra(r.show), '≤ 20 ms beyond'],
      ...('error' in r.desktop ? [] : [['desktop main bundle: require → first window (stand-in electron)', fmt(r.desktop.windowMs), '', `bundle loaded in ${fmt(r.desktop.loadMs)} ms`, 'informative']]),
    ],
    [
      'Whole processes, wall time from spawn, through bin/waymark.mjs (its freshness check included) on the built dist/cli.',
      'resume: the frontier command writes the clock (date +%s%N); the floor is `node -e` spawning the same command through /bin/sh.',
      'desktop: dist/electron/main.cjs built afresh, required under Node with the fake electron of electron/shell/testing.',
      ...desktop,
    ],
  );
}
