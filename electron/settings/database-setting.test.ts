/** The desktop app's Database setting: which database a launch opens, what the view shows, what is refused. */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '../testing/temp-dir';
import { APP_SETTINGS_FILE, DatabaseSetting } from './database-setting';
import { desktopSettingsHandlers, environmentSettingsHandlers } from './settings-handlers';
import { KeyStore } from './key-store';
import { FakeSafeStorage } from '../shell/testing/fake-electron';

let tmp: TempDir;
let file: string;
const DEFAULT = '/home/ada/.config/Waymark/waymark.db';
const URL_WITH_PASSWORD = 'postgres://team:Sup3r-S3cret@db.example:5432/waymark';

beforeEach(() => {
  tmp = tempDir('waymark-db-setting-');
  file = join(tmp.path, APP_SETTINGS_FILE);
});
afterEach(() => tmp.remove());

describe('DatabaseSetting', () => {
  it('opens WAYMARK_DB first, else the setting, else the default file', () => {
    const setting = new DatabaseSetting(file, {}, DEFAULT);
    expect(setting.choose()).toEqual({ target: DEFAULT, source: 'default' });
    setting.set(URL_WITH_PASSWORD);
    expect(setting.choose()).toEqual({ target: URL_WITH_PASSWORD, source: 'setting' });
    expect(new DatabaseSetting(file, { WAYMARK_DB: '/tmp/other.db' }, DEFAULT).choose()).toEqual({ target: '/tmp/other.db', source: 'environment' });
    setting.set('');
    expect(setting.choose()).toEqual({ target: DEFAULT, source: 'default' });
  });

  it('shows the database in use and the saved one without a password, and when a restart is needed', () => {
    const setting = new DatabaseSetting(file, {}, DEFAULT);
    const inUse = setting.choose();
    setting.set(URL_WITH_PASSWORD);
    const status = setting.status(inUse);
    expect(status).toEqual({ inUse: DEFAULT, source: 'default', setting: 'postgres://team@db.example:5432/waymark', restartNeeded: true, writable: true });
    expect(setting.status(setting.choose()).restartNeeded).toBe(false);
    expect(JSON.stringify(status)).not.toContain('Sup3r-S3cret');
  });

  it('keeps the file private to the user', () => {
    new DatabaseSetting(file, {}, DEFAULT).set(URL_WITH_PASSWORD);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ version: 1, database: URL_WITH_PASSWORD });
  });

  it('refuses a relative path or another kind of URL, never echoing a password, and changes nothing', () => {
    const setting = new DatabaseSetting(file, {}, DEFAULT);
    expect(() => setting.set('waymark.db')).toThrow(expect.objectContaining({ code: 'USAGE', message: expect.stringContaining('not an absolute path') }));
    const other = (() => {
      try {
        setting.set('mysql://root:Sup3r-S3cret@db/x');
        return null;
      } catch (err) {
        return err as { code: string; message: string };
      }
    })();
    expect(other?.code).toBe('USAGE');
    expect(other?.message).not.toContain('Sup3r-S3cret');
    expect(setting.choose().source).toBe('default');
  });

  it('an unreadable settings file is an actionable error', () => {
    writeFileSync(file, '{ not json');
    expect(() => new DatabaseSetting(file, {}, DEFAULT).choose()).toThrow(/settings file .* cannot be read .*delete it/);
  });
});

describe('settings.setDatabase', () => {
  it('desktop: saves the setting and answers the new status', async () => {
    const setting = new DatabaseSetting(file, {}, DEFAULT);
    const handlers = desktopSettingsHandlers(new KeyStore(join(tmp.path, 'keys.json'), new FakeSafeStorage(), 'linux'), {}, { setting, inUse: setting.choose() });
    expect((await handlers['settings.get']({})).database).toMatchObject({ inUse: DEFAULT, setting: null, restartNeeded: false });
    const after = await handlers['settings.setDatabase']({ database: URL_WITH_PASSWORD });
    expect(after.database).toMatchObject({ setting: 'postgres://team@db.example:5432/waymark', restartNeeded: true });
  });

  it('serve mode: shows its database and refuses to change it', async () => {
    const handlers = environmentSettingsHandlers({}, { target: URL_WITH_PASSWORD, source: 'flag' });
    expect((await handlers['settings.get']({})).database).toEqual({ inUse: 'postgres://team@db.example:5432/waymark', source: 'flag', setting: null, restartNeeded: false, writable: false });
    expect(() => handlers['settings.setDatabase']({ database: '/tmp/x.db' })).toThrow(expect.objectContaining({ code: 'USAGE', message: expect.stringContaining('waymark serve --db') }));
  });
});
