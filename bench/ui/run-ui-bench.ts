/**
 * UI benchmark in Chromium (not part of the test suite):
 *
 *   npx tsx bench/ui/run-ui-bench.ts [--phases 500] [--rate 500] [--seconds 10]
 *
 * The built renderer (dist/renderer, rebuilt when stale) is served from a throwaway
 * static server; a fake preload bridge (fake-waymark.js) is installed as window.waymark
 * before the app loads, so no Waymark server is involved. It measures:
 *   1. first graph: from clicking the run to its whole laid-out DAG painted (< 1 s);
 *   2. streaming: while `rate` phase events per second arrive for `seconds`, every
 *      main-thread task longer than 50 ms, via PerformanceObserver('longtask') (none).
 * Prints the figures; exits 1 when a budget is missed.
 */
import { chromium } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import buildRendererIfStale from '../../e2e/global-setup';

const ROOT = join(import.meta.dirname, '..', '..');
const DIST = join(ROOT, 'dist', 'renderer');
const FIRST_GRAPH_BUDGET_MS = 1000;
const LONG_TASK_BUDGET_MS = 50;

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const PHASES = arg('phases', 500);
const RATE = arg('rate', 500);
const SECONDS = arg('seconds', 10);
/** --profile: print the functions with the most self time while streaming (CDP profiler). */
const PROFILE = process.argv.includes('--profile');
/** --trace FILE: record a Chromium performance trace (devtools.timeline) of the streaming part. */
const TRACE = process.argv.includes('--trace') ? process.argv[process.argv.indexOf('--trace') + 1] : undefined;
/** --screenshot FILE: a picture of the page after streaming. */
const SCREENSHOT = process.argv.includes('--screenshot') ? process.argv[process.argv.indexOf('--screenshot') + 1] : undefined;

declare global {
  interface Window {
    __benchConfig?: { phases: number };
    __bench: { runId: string; stream(rate: number, seconds: number): Promise<number> };
    __longTasks: { start: number; duration: number }[];
  }
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

function serve(dir: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(dir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dir) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function main(): Promise<number> {
  buildRendererIfStale();
  const server = await serve(DIST);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const systemChromium = existsSync('/usr/bin/chromium');
  const browser = await chromium.launch(systemChromium ? { executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] } : {});
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    // tsx compiles with keepNames, which wraps named functions in `__name(...)`; the
    // functions below run in the page, where that helper must exist too.
    await page.addInitScript({ content: 'window.__name = (fn) => fn;' });
    await page.addInitScript((phases) => {
      window.__benchConfig = { phases };
    }, PHASES);
    await page.addInitScript({ path: join(import.meta.dirname, 'fake-waymark.js') });
    await page.goto(url);
    if (process.env.BENCH_CSS) await page.addStyleTag({ content: process.env.BENCH_CSS });
    const row = page.locator('[data-testid^="run-row-"] .run-row-main').first();
    await row.waitFor();
    const loadMs = await page.evaluate(() => performance.now());

    // 1. First graph: click → every node laid out and painted.
    const first = await page.evaluate(async (expected) => {
      const longTasks: number[] = [];
      const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration)));
      observer.observe({ type: 'longtask' });
      const t0 = performance.now();
      document.querySelector<HTMLButtonElement>('[data-testid^="run-row-"] .run-row-main')?.click();
      let firstNodes = 0;
      await new Promise<void>((resolve) => {
        const check = () => {
          const laidOut = document.querySelector('[data-testid="run-graph"][data-laid-out="true"]');
          const drawn = document.querySelectorAll('.react-flow__node').length;
          if (drawn > 0 && firstNodes === 0) firstNodes = performance.now() - t0;
          const viewport = document.querySelector<HTMLElement>('.react-flow__viewport')?.style.transform ?? '';
          const fitted = !/scale\(1\)$/.test(viewport);
          if (laidOut && drawn >= expected && fitted) resolve();
          else requestAnimationFrame(check);
        };
        check();
      });
      // The frame that shows it has been painted once the next frame starts.
      await new Promise((r) => requestAnimationFrame(() => r(null)));
      const total = performance.now() - t0;
      await new Promise((r) => setTimeout(r, 100));
      observer.disconnect();
      return { firstNodesMs: firstNodes, wholeGraphMs: total, longestTaskMs: Math.max(0, ...longTasks) };
    }, PHASES);

    // 2. Streaming: `RATE` events per second; record long tasks and frame gaps.
    const cdp = PROFILE ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    if (TRACE) await browser.startTracing(page, { path: TRACE, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
    const streaming = await page.evaluate(
      async ({ rate, seconds }) => {
        const longTasks: { start: number; duration: number }[] = [];
        const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push({ start: e.startTime, duration: e.duration })));
        observer.observe({ type: 'longtask' });
        let frames = 0;
        let lastFrame = performance.now();
        let maxGap = 0;
        let streaming = true;
        const onFrame = (t: number) => {
          frames += 1;
          maxGap = Math.max(maxGap, t - lastFrame);
          lastFrame = t;
          if (streaming) requestAnimationFrame(onFrame);
        };
        requestAnimationFrame(onFrame);
        const t0 = performance.now();
        const sent = await window.__bench.stream(rate, seconds);
        const elapsed = performance.now() - t0;
        streaming = false;
        await new Promise((r) => setTimeout(r, 300)); // let the last batch render and be observed
        observer.disconnect();
        const succeeded = document.querySelectorAll('[data-testid^="phase-node-"][data-status="succeeded"]').length;
        return { sent, elapsedMs: elapsed, eventsPerSecond: (sent / elapsed) * 1000, longTasks, fps: (frames / elapsed) * 1000, maxFrameGapMs: maxGap, succeededNodes: succeeded };
      },
      { rate: RATE, seconds: SECONDS },
    );

    if (TRACE) await browser.stopTracing();
    if (SCREENSHOT) await page.screenshot({ path: SCREENSHOT });
    if (cdp) printProfile((await cdp.send('Profiler.stop')).profile as unknown as CpuProfile);
    const longest = Math.max(0, ...streaming.longTasks.map((t) => t.duration));
    const over = streaming.longTasks.filter((t) => t.duration > LONG_TASK_BUDGET_MS);
    const figures = {
      phases: PHASES,
      appLoadMs: round(loadMs),
      firstGraph: { firstNodesMs: round(first.firstNodesMs), wholeGraphMs: round(first.wholeGraphMs), longestTaskMs: round(first.longestTaskMs) },
      streaming: {
        events: streaming.sent,
        seconds: round(streaming.elapsedMs / 1000),
        eventsPerSecond: round(streaming.eventsPerSecond),
        longTasks: streaming.longTasks.length,
        longestTaskMs: round(longest),
        tasksOver50ms: over.length,
        fps: round(streaming.fps),
        maxFrameGapMs: round(streaming.maxFrameGapMs),
        succeededNodesAtEnd: streaming.succeededNodes,
      },
    };
    console.log(JSON.stringify(figures, null, 2));
    const okGraph = first.wholeGraphMs < FIRST_GRAPH_BUDGET_MS;
    const okStream = over.length === 0;
    console.log(`first graph (${PHASES} phases): ${round(first.wholeGraphMs)} ms  [budget ${FIRST_GRAPH_BUDGET_MS} ms] ${okGraph ? 'OK' : 'OVER'}`);
    console.log(`streaming ${round(streaming.eventsPerSecond)} events/s: longest main-thread task ${round(longest)} ms, ${over.length} over ${LONG_TASK_BUDGET_MS} ms ${okStream ? 'OK' : 'OVER'}`);
    return okGraph && okStream ? 0 : 1;
  } finally {
    await browser.close();
    server.close();
  }
}

const round = (n: number) => Math.round(n * 10) / 10;

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

function printProfile(profile: CpuProfile): void {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byName = new Map<string, number>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber}`;
    byName.set(key, (byName.get(key) ?? 0) + (self.get(node.id) ?? 0));
  }
  const top = [...byName].sort((a, b) => b[1] - a[1]).slice(0, 30);
  for (const [name, us] of top) console.log(`${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`);
}

process.exitCode = await main();
