/**
 * The e2e fixture: a real `waymark serve` on port 0 with a fresh database and a flow
 * folder of its own, started as a child process; the URL (with its token) is read from
 * the one line it prints. Everything started is killed after the test. Tests wait for
 * UI state or server answers, never for fixed times.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'bin', 'waymark.mjs');
const FLOW_SOURCES = [join(ROOT, 'examples'), join(ROOT, 'e2e', 'flows')];

export interface Server {
  url: string;
  port: number;
  token: string;
  process: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
}

export interface Waymark {
  /** The temp folder holding the database and the flows. */
  dir: string;
  db: string;
  root: string;
  /** The first server, started before the test. */
  server: Server;
  /** Starts another server on the same database and flows (after a crash, say); `args` replace `--port 0`. */
  startServer(args?: string[]): Promise<Server>;
  /** `kill -9`: no shutdown code runs, the run's owner just vanishes. */
  kill9(server: Server): Promise<void>;
  /** Writes a flow file into the server's flow folder. */
  writeFlow(fileName: string, yaml: string): void;
  /** Creates the gate files that e2e flows wait for (`.gates/<name>` in the flow folder). */
  openGates(...names: string[]): void;
  /** `waymark show RUN --json` on this database. */
  show(runId: string): Promise<ShowJson>;
}

export interface ShowJson {
  runId: string;
  status: string;
  phases: { id: string; status: string; output: string | null; attempts: number }[];
}

/**
 * `waymark serve` on `db`; `args` default to `--port 0`. Its data folder (where it keeps
 * the database's access token) is `config/` beside the database, not the user's.
 */
export async function startServe(db: string, root: string, args: string[] = ['--port', '0']): Promise<Server> {
  const child = spawn(process.execPath, [CLI, 'serve', ...args, '--db', db, '--root', root], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', XDG_CONFIG_HOME: join(dirname(db), 'config') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`waymark serve printed no URL within 30s\n${stderr.join('')}`)), 30_000);
    lines.once('line', (l) => {
      clearTimeout(timer);
      resolve(l);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`waymark serve exited with ${code}\n${stderr.join('')}`));
    });
  });
  const match = /^Waymark is serving (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]+))$/.exec(line);
  if (!match) throw new Error(`unexpected first line from waymark serve: ${line}`);
  return { url: match[1]!, port: Number(match[2]), token: match[3]!, process: child, exited };
}

export const test = base.extend<{ waymark: Waymark }>({
  // The page depends on the server, so it is torn down (and its failure screenshot
  // taken) while the server still runs.
  page: async ({ page, waymark: _server }, use) => {
    await use(page);
  },
  // Playwright reads fixture dependencies from the destructuring pattern: none here.
  // eslint-disable-next-line no-empty-pattern
  waymark: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'waymark-e2e-'));
    const root = join(dir, 'flows');
    const db = join(dir, 'waymark.db');
    copyFlows(root);
    const servers: Server[] = [];
    const startServer = async (args?: string[]) => {
      const server = await startServe(db, root, args);
      servers.push(server);
      return server;
    };
    const server = await startServer();
    await use({
      dir,
      db,
      root,
      server,
      startServer,
      async kill9(s) {
        s.process.kill('SIGKILL');
        await s.exited;
      },
      writeFlow(fileName, yaml) {
        writeFileSync(join(root, fileName), yaml);
      },
      openGates(...names) {
        mkdirSync(join(root, '.gates'), { recursive: true });
        for (const name of names) writeFileSync(join(root, '.gates', name), '');
      },
      async show(runId) {
        const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'show', runId, '--json', '--db', db]).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
        return JSON.parse(stdout) as ShowJson;
      },
    });
    for (const s of servers) {
      if (s.process.exitCode === null && s.process.signalCode === null) {
        s.process.kill('SIGKILL');
        await s.exited;
      }
    }
    killLeftovers(dir);
    rmSync(dir, { recursive: true, force: true });
  },
});

/**
 * Phase commands of a server killed with `kill -9` live on (they run in their own
 * process group). Ends those of this test, found by their working folder (Linux /proc).
 */
function killLeftovers(dir: string): void {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return;
  }
  for (const pid of pids) {
    try {
      if (readlinkSync(`/proc/${pid}/cwd`).startsWith(dir)) process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone, or not ours to read
    }
  }
}

/** The examples and the e2e flows, side by side in the server's --root. */
function copyFlows(root: string): void {
  mkdirSync(root, { recursive: true });
  for (const dir of FLOW_SOURCES) {
    for (const name of readdirSync(dir)) if (name.endsWith('.yaml')) copyFileSync(join(dir, name), join(root, name));
  }
}

/** Opens the dialog, picks a flow, starts it; returns the new run's id. */
export async function startFlow(page: Page, flowName: string, inputs: Record<string, string> = {}): Promise<string> {
  await page.getByRole('button', { name: 'New run' }).click();
  const dialog = page.getByTestId('start-run-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId(`flow-option-${flowName}`).click();
  for (const [name, value] of Object.entries(inputs)) await dialog.locator(`input[name="input-${name}"]`).fill(value);
  await dialog.getByTestId('start-run-submit').click();
  await expect(dialog).toBeHidden();
  const view = page.getByTestId('run-view');
  await expect(view).toHaveAttribute('data-run-id', /.+/);
  return (await view.getAttribute('data-run-id')) as string;
}

/** A phase node on the graph. */
export function phaseNode(page: Page, id: string) {
  return page.getByTestId(`phase-node-${id}`);
}

export { expect };
