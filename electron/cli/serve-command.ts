/**
 * `waymark serve`: the app in a browser (SPEC §1). Prints exactly one line on stdout,
 * the URL with its token; notes go to stderr. Runs started from the browser belong to
 * this process and go on when the tab closes; runs of other processes on the same
 * database show up live through the event hub.
 *
 * SIGINT/SIGTERM stop the running runs (recorded `interrupted`, resumable) and exit 0:
 * stopping the server is the expected way to end it, not a failure. A second signal
 * exits at once (3), leaving the runs for the next start to find.
 *
 * The access token is kept per database (settings/serve-token.ts), and without `--port`
 * the server listens where it did last time, so tabs left open reconnect after a
 * restart; `--new-token` makes a new token, and tabs with the old one are refused.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT_CODES } from '../../shared/status';
import { databasePath, userDataDir } from '../paths';
import { createApiServer } from '../api/api-server';
import { createFlowRoot } from '../api/flow-root';
import { chooseServeToken, saveServeToken, type ServeTokenChoice } from '../settings/serve-token';
import { environmentSettingsHandlers } from '../settings/settings-handlers';
import { newToken } from '../transport/ws-auth';
import { startWsServer, type WsServer, type WsServerOptions } from '../transport/ws-server';
import { exitCodeForError, openEngine, reportError, type CliIO } from './cli-context';
import { untilSignal } from './signals';

export interface ServeOptions {
  port?: string;
  db?: string;
  root?: string;
  /** Replace this database's saved access token with a new one. */
  newToken?: boolean;
}

/** dist/renderer of this checkout: the same relative path from electron/cli/ (sources) and dist/cli/ (the bundle). */
export const RENDERER_DIR = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));

export async function serveCommand(options: ServeOptions, io: CliIO, signals: NodeJS.EventEmitter = process): Promise<number> {
  const port = options.port === undefined ? undefined : parsePort(options.port);
  if (port === null) {
    io.stderr.write(`error: --port must be a number from 0 to 65535 (0 picks a free port), got "${options.port}"\n`);
    return EXIT_CODES.usage;
  }
  let engine;
  try {
    const root = createFlowRoot(options.root ?? process.cwd());
    engine = await openEngine(options.db, io);
    const api = await createApiServer({
      engine,
      root,
      // Serve mode takes provider keys from its environment; the browser cannot change them.
      settings: environmentSettingsHandlers(io.env, { target: databasePath(options.db, io.env), source: options.db ? 'flag' : io.env.WAYMARK_DB ? 'environment' : 'default' }),
      onInternalError: (channel, err) => io.stderr.write(`internal error in ${channel}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`),
      onPollError: (message) => io.stderr.write(`warning: ${message}\n`),
    });
    const staticDir = io.env.WAYMARK_RENDERER_DIR ? resolve(io.env.WAYMARK_RENDERER_DIR) : RENDERER_DIR;
    const token = chooseServeToken({ dataDir: userDataDir(io.env), target: databasePath(options.db, io.env), renew: options.newToken === true, newToken });
    if (token.warning) io.stderr.write(`warning: ${token.warning}\n`);
    const server = await listen({ api, staticDir, token: token.token, log: (line) => io.stderr.write(`${line}\n`) }, port, token, io).catch(async (err: unknown) => {
      await api.close();
      throw err;
    });
    const unsaved = saveServeToken(token, server.port);
    if (unsaved) io.stderr.write(`warning: ${unsaved}\n`);
    const running = engine;
    // Listening for signals before the URL is printed: whoever reads it may stop us at once.
    const stopped = untilSignal(signals, io, 'stopping; saving running runs as interrupted', () => running.killProcessGroupsNow());
    io.stdout.write(`Waymark is serving ${server.url}\n`);
    io.stderr.write(`flows from ${root.dir}; press Ctrl+C to stop (running runs are saved as interrupted, resumable)\n`);
    if (!existsSync(join(staticDir, 'index.html'))) io.stderr.write(`note: the web app is not built (${staticDir} has no index.html): run \`npm run build\`\n`);
    await stopped;
    await server.close();
    await api.close();
    await engine.shutdown();
    return EXIT_CODES.succeeded;
  } catch (err) {
    reportError(io, err);
    return hasCode(err, 'EADDRINUSE') ? EXIT_CODES.usage : exitCodeForError(err);
  } finally {
    await engine?.store.close();
  }
}

/**
 * Listens on `port` when one was given; otherwise on the port this database's server used
 * last (so open tabs find it again), or a free one when that is taken or unknown.
 */
async function listen(options: WsServerOptions, port: number | undefined, token: ServeTokenChoice, io: CliIO): Promise<WsServer> {
  if (port !== undefined || token.savedPort === null) return startWsServer({ ...options, port: port ?? 0 });
  try {
    return await startWsServer({ ...options, port: token.savedPort });
  } catch (err) {
    if (!hasCode(err, 'EADDRINUSE')) throw err;
    io.stderr.write(`note: port ${token.savedPort}, used last time, is taken; listening on a free port (tabs opened before cannot reconnect)\n`);
    return startWsServer({ ...options, port: 0 });
  }
}

function parsePort(value: string): number | null {
  if (!/^\d{1,5}$/.test(value)) return null;
  const port = Number(value);
  return port <= 65535 ? port : null;
}

function hasCode(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}
