/**
 * How the desktop app is started and packaged: `npm start` without the Electron binary,
 * the Electron build of better-sqlite3, and electron-builder.yml (validated with
 * electron-builder's own schema; fuses, asar unpacking, entry point, targets).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { tempDir } from '../testing/temp-dir';
import { electronAddonPath } from './native-addon';

const ROOT = resolve('.');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string> };
const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, unknown> & {
  electronFuses: Record<string, boolean>;
  asarUnpack: string[];
  extraMetadata: { main: string };
  files: string[];
  linux: { target: string[] };
  mac: { target: string[] };
  win: { target: string[] };
};

describe('npm start', () => {
  it('without the Electron binary, says so in one line and points to waymark serve', () => {
    const empty = tempDir('waymark-no-electron-');
    try {
      const started = Date.now();
      const result = spawnSync(process.execPath, ['scripts/start.mjs'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, WAYMARK_ELECTRON_DIR: empty.path } });
      const output = `${result.stdout}${result.stderr}`.trim();
      expect(result.status).toBe(1);
      expect(output.split('\n')).toHaveLength(1);
      expect(output).toMatch(/Electron binary is not installed.*npx waymark serve/);
      expect(Date.now() - started).toBeLessThan(10_000); // nothing was built first
    } finally {
      empty.remove();
    }
  });

  it('is wired in package.json, and the app entry is the bundled main', () => {
    expect(pkg.scripts.start).toBe('node scripts/start.mjs');
    expect(pkg.scripts.dist).toBe('node scripts/dist.mjs');
    expect(pkg.main).toBe('dist/electron/main.cjs');
  });

  it('the Electron build of better-sqlite3 goes where the shell looks for it', () => {
    const electronVersion = (JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
    const printed = spawnSync(process.execPath, ['scripts/native/ensure-electron-addon.mjs', '--print-path'], { cwd: ROOT, encoding: 'utf8' });
    expect(printed.status).toBe(0);
    expect(printed.stdout.trim()).toBe(electronAddonPath(ROOT, electronVersion));
  });
});

describe('electron-builder.yml', () => {
  it("passes electron-builder's configuration schema", async () => {
    const fromBuilder = createRequire(createRequire(join(ROOT, 'package.json')).resolve('electron-builder/package.json'));
    const { validateConfiguration } = fromBuilder('app-builder-lib/out/util/config/config.js') as { validateConfiguration(c: unknown, l: unknown): Promise<void> };
    const { DebugLogger } = fromBuilder('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, electronFuses: { ...config.electronFuses, runAsNod: false } }, new DebugLogger(false))).rejects.toThrow(/electronFuses/);
  });

  it('sets the fuses: no run-as-node, encrypted cookies, asar only and integrity-checked', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
    });
  });

  it('unpacks better-sqlite3 from the asar and starts the bundled main', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**/*');
    expect(config.extraMetadata.main).toBe(pkg.main);
    expect(config.files).toEqual(expect.arrayContaining(['package.json', 'dist/electron/**/*', 'dist/renderer/**/*']));
  });

  it('builds AppImage + deb, dmg and NSIS', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
  });
});
