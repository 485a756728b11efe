/**
 * Boots the BUILT main process (dist/electron/main.cjs or a test build of it) under plain
 * Node with the fake `electron` in place of the real module, then drives it: the window
 * opens, a request is answered over the IPC binding, SIGTERM quits gracefully. Prints one
 * JSON report on stdout. Used by main-bundle.test.ts in a child process:
 *   node --import tsx electron/shell/testing/boot-bundle.ts BUNDLE WORKDIR
 */
import { mkdirSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import { ipcChannel } from '../../preload/ipc-channels';
import { createFakeElectron } from './fake-electron';

const [bundle, work] = process.argv.slice(2) as [string, string];
for (const dir of ['userData', 'logs', 'documents', 'app']) mkdirSync(join(work, dir), { recursive: true });
const fake = createFakeElectron({ paths: { userData: join(work, 'userData'), logs: join(work, 'logs'), documents: join(work, 'documents') }, appPath: join(work, 'app') });
fake.app.isPackaged = true; // load node_modules/better-sqlite3 as is: this is Node, not Electron

const loader = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
const load = loader._load;
loader._load = (request, parent, isMain) => (request === 'electron' ? fake.electron : load(request, parent, isMain));

const deadline = Date.now() + 15_000;
const until = async (check: () => boolean) => {
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

const report: Record<string, unknown> = {};
try {
  (Module.createRequire(join(work, 'boot.cjs')) as NodeRequire)(bundle);
  fake.app.becomeReady();
  await until(() => fake.windows().length === 1);
  const [window] = fake.windows();
  if (!window) throw new Error('no window');
  report.webPreferences = window.options.webPreferences;
  report.loadedUrl = window.loadedUrl;
  report.channels = [...fake.ipcMain.handlers.keys()].length;
  report.runsList = await fake.ipcMain.invoke(ipcChannel('runs.list'), window.webContents.ipcEvent(), {});
  report.settings = await fake.ipcMain.invoke(ipcChannel('settings.get'), window.webContents.ipcEvent(), {});
  process.emit('SIGTERM');
  await until(() => fake.app.ended !== null);
  report.ended = fake.app.ended;
  report.handlersLeft = fake.ipcMain.handlers.size;
} catch (err) {
  report.error = err instanceof Error ? (err.stack ?? err.message) : String(err);
}
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(0);
