/**
 * Times the BUILT desktop main process under the stand-in electron (the fake of
 * electron/shell/testing, as electron/shell/main-bundle.test.ts runs it): from the
 * moment the bundle is required to its first window asking for the app's URL. Prints one
 * JSON line: { loadMs, windowMs, windowAt } (windowAt: that moment in ms since the epoch,
 * for timing the whole process from its spawn) or { error }. startup.ts bundles this
 * file and runs it with plain Node (a loader such as tsx would also process the bundle
 * under test); it runs a minimal main script the same way, as the floor:
 *   node boot-main.mjs BUNDLE WORKDIR
 */
import { mkdirSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import { createFakeElectron, FakeBrowserWindow } from '../electron/shell/testing/fake-electron';

const [bundle, work] = process.argv.slice(2) as [string, string];
for (const dir of ['userData', 'logs', 'documents', 'app']) mkdirSync(join(work, dir), { recursive: true });
const fake = createFakeElectron({ paths: { userData: join(work, 'userData'), logs: join(work, 'logs'), documents: join(work, 'documents') }, appPath: join(work, 'app') });
fake.app.isPackaged = true;
const loader = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
const load = loader._load;
loader._load = (request, parent, isMain) => (request === 'electron' ? fake.electron : load(request, parent, isMain));

let windowAt = 0;
const loadURL = FakeBrowserWindow.prototype.loadURL;
FakeBrowserWindow.prototype.loadURL = function (this: FakeBrowserWindow, url: string) {
  windowAt ||= performance.now();
  return loadURL.call(this, url);
};

try {
  const start = performance.now();
  (Module.createRequire(join(work, 'boot.cjs')) as NodeRequire)(bundle);
  const loaded = performance.now();
  fake.app.becomeReady();
  const deadline = Date.now() + 15_000;
  while (!windowAt) {
    if (Date.now() > deadline) throw new Error('no window within 15 s');
    await new Promise((r) => setImmediate(r));
  }
  process.stdout.write(`${JSON.stringify({ loadMs: loaded - start, windowMs: windowAt - start, windowAt: performance.timeOrigin + windowAt })}\n`);
  // The app quits on SIGTERM; a main script that does not listen (the floor) just ends.
  if (process.listenerCount('SIGTERM') > 0) {
    process.emit('SIGTERM');
    const quit = Date.now() + 10_000;
    while (fake.app.ended === null && Date.now() < quit) await new Promise((r) => setTimeout(r, 10));
  }
} catch (err) {
  process.stdout.write(`${JSON.stringify({ error: err instanceof Error ? err.message : String(err) })}\n`);
}
process.exit(0);
