/** settings.* handlers: desktop (key store) and serve mode (environment, read-only). */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requests } from '../../shared/api';
import { FakeSafeStorage } from '../shell/testing/fake-electron';
import { tempDir, type TempDir } from '../testing/temp-dir';
import { KeyStore } from './key-store';
import { desktopSettingsHandlers, environmentSettingsHandlers } from './settings-handlers';

const KEY = 'sk-ant-0123456789abcdef';
let tmp: TempDir;

beforeEach(() => {
  tmp = tempDir('waymark-settings-');
});
afterEach(() => tmp.remove());

describe('desktop settings', () => {
  it('reports where each key comes from and never answers with a key value', async () => {
    const cipher = new FakeSafeStorage();
    const handlers = desktopSettingsHandlers(new KeyStore(join(tmp.path, 'keys.json'), cipher, 'linux'), { OPENAI_API_KEY: 'env-value-123' });
    expect(await handlers['settings.get']({})).toEqual({
      storage: 'encrypted',
      backend: 'gnome_libsecret',
      writable: true,
      keys: [
        { name: 'OPENAI_API_KEY', source: 'environment', inEnvironment: true },
        { name: 'ANTHROPIC_API_KEY', source: 'missing', inEnvironment: false },
      ],
    });
    const afterSet = await handlers['settings.setKey']({ name: 'ANTHROPIC_API_KEY', value: KEY });
    await handlers['settings.setKey']({ name: 'OPENAI_API_KEY', value: 'stored-value-456' });
    const status = await handlers['settings.setKey']({ name: 'TOGETHER_API_KEY', value: 'together-789' });
    expect(JSON.stringify([afterSet, status])).not.toMatch(/sk-ant|stored-value|together-789|env-value/);
    expect(status.keys).toEqual([
      { name: 'OPENAI_API_KEY', source: 'stored', inEnvironment: true },
      { name: 'ANTHROPIC_API_KEY', source: 'stored', inEnvironment: false },
      { name: 'TOGETHER_API_KEY', source: 'stored', inEnvironment: false },
    ]);
    const cleared = await handlers['settings.clearKey']({ name: 'OPENAI_API_KEY' });
    expect(cleared.keys[0]).toEqual({ name: 'OPENAI_API_KEY', source: 'environment', inEnvironment: true });
  });

  it('is read-only with a notice where the OS cannot protect keys', async () => {
    const cipher = new FakeSafeStorage();
    cipher.backend = 'basic_text';
    const handlers = desktopSettingsHandlers(new KeyStore(join(tmp.path, 'keys.json'), cipher, 'linux'), {});
    const status = await handlers['settings.get']({});
    expect(status).toMatchObject({ storage: 'unavailable', backend: 'basic_text', writable: false, notice: expect.stringMatching(/keyring/) });
    expect(() => handlers['settings.setKey']({ name: 'OPENAI_API_KEY', value: KEY })).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});

describe('serve-mode settings', () => {
  it('shows the environment and refuses changes with the reason', async () => {
    const handlers = environmentSettingsHandlers({ ANTHROPIC_API_KEY: KEY });
    const status = await handlers['settings.get']({});
    expect(status).toMatchObject({ storage: 'environment', writable: false, notice: expect.stringMatching(/environment of `waymark serve`/) });
    expect(status.keys).toEqual([
      { name: 'OPENAI_API_KEY', source: 'missing', inEnvironment: false },
      { name: 'ANTHROPIC_API_KEY', source: 'environment', inEnvironment: true },
    ]);
    expect(JSON.stringify(status)).not.toContain(KEY);
    expect(() => handlers['settings.setKey']({ name: 'OPENAI_API_KEY', value: KEY })).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => handlers['settings.clearKey']({ name: 'OPENAI_API_KEY' })).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});

describe('settings request schemas', () => {
  it('accept key-like names only, so a stored setting can never become PATH or NODE_OPTIONS', () => {
    const ok = (name: string) => requests['settings.clearKey'].req.safeParse({ name }).success;
    for (const name of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GROQ_API_KEY', 'MY_PROVIDER_TOKEN', 'X_SECRET']) expect(ok(name), name).toBe(true);
    for (const name of ['PATH', 'NODE_OPTIONS', 'LD_PRELOAD', 'DYLD_INSERT_LIBRARIES', 'ELECTRON_RUN_AS_NODE', 'NODE_AUTH_TOKEN', 'LD_SECRET', 'openai_api_key', 'A B_KEY', '']) expect(ok(name), name).toBe(false);
  });

  it('trims the pasted key and refuses an empty one', () => {
    expect(requests['settings.setKey'].req.parse({ name: 'OPENAI_API_KEY', value: `  ${KEY}\n` }).value).toBe(KEY);
    expect(requests['settings.setKey'].req.safeParse({ name: 'OPENAI_API_KEY', value: '   ' }).success).toBe(false);
  });
});
