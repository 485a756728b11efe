/** Provider keys: encrypted at rest, never in plaintext, never stored where the OS cannot protect them. */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSafeStorage } from '../shell/testing/fake-electron';
import { tempDir, type TempDir } from '../testing/temp-dir';
import { keyEnvironment } from './key-environment';
import { KeyStore, SECRETS_FILE } from './key-store';

const KEY = 'sk-live-0123456789abcdef';
let tmp: TempDir;
let cipher: FakeSafeStorage;
let file: string;

beforeEach(() => {
  tmp = tempDir('waymark-keys-');
  cipher = new FakeSafeStorage();
  file = join(tmp.path, 'userData', SECRETS_FILE);
});
afterEach(() => tmp.remove());

describe('KeyStore', () => {
  it('stores keys encrypted, readable by the user only, and reads them back', () => {
    const store = new KeyStore(file, cipher, 'linux');
    store.set('OPENAI_API_KEY', KEY);
    store.set('GROQ_API_KEY', 'gsk-abcdefgh');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(Buffer.from(KEY).toString('base64'));
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(store.names()).toEqual(['GROQ_API_KEY', 'OPENAI_API_KEY']);
    expect(new KeyStore(file, cipher, 'linux').readAll()).toEqual({ values: { OPENAI_API_KEY: KEY, GROQ_API_KEY: 'gsk-abcdefgh' }, unreadable: [] });
    expect(store.clear('GROQ_API_KEY')).toBe(true);
    expect(store.clear('GROQ_API_KEY')).toBe(false);
    expect(store.names()).toEqual(['OPENAI_API_KEY']);
  });

  it("refuses to store on Linux's basic_text backend and says to use the environment", () => {
    cipher.backend = 'basic_text';
    const store = new KeyStore(file, cipher, 'linux');
    expect(store.storage()).toMatchObject({ kind: 'unavailable', backend: 'basic_text' });
    expect(() => store.set('OPENAI_API_KEY', KEY)).toThrow(/environment variables/);
    expect(() => readFileSync(file)).toThrow();
  });

  it('refuses to store where encryption is unavailable', () => {
    cipher.available = false;
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      const store = new KeyStore(file, cipher, platform);
      expect(store.storage().kind, platform).toBe('unavailable');
      expect(() => store.set('OPENAI_API_KEY', KEY)).toThrow(expect.objectContaining({ code: 'USAGE' }));
    }
    expect(new KeyStore(file, new FakeSafeStorage(), 'darwin').storage()).toEqual({ kind: 'encrypted', backend: 'keychain' });
  });

  it('lists keys it cannot decrypt as unreadable instead of failing', () => {
    new KeyStore(file, cipher, 'darwin').set('ANTHROPIC_API_KEY', KEY);
    const data = JSON.parse(readFileSync(file, 'utf8'));
    data.keys.OPENAI_API_KEY = Buffer.from('garbage').toString('base64');
    writeFileSync(file, JSON.stringify(data));
    expect(new KeyStore(file, cipher, 'darwin').readAll()).toEqual({ values: { ANTHROPIC_API_KEY: KEY }, unreadable: ['OPENAI_API_KEY'] });
  });

  it('a corrupt key file gives an actionable error naming it', () => {
    new KeyStore(file, cipher, 'darwin').set('ANTHROPIC_API_KEY', KEY);
    writeFileSync(file, '{ not json');
    expect(() => new KeyStore(file, cipher, 'darwin').names()).toThrow(expect.objectContaining({ code: 'STORE_FAILED', message: expect.stringContaining(`${file} cannot be read`) }));
  });
});

describe('keyEnvironment', () => {
  it('puts stored keys over the inherited environment, read at each call', () => {
    const store = new KeyStore(file, cipher, 'darwin');
    const env = keyEnvironment(store, { PATH: '/bin', OPENAI_API_KEY: 'from-env', ANTHROPIC_API_KEY: 'anthropic-env' });
    expect(env()).toEqual({ PATH: '/bin', OPENAI_API_KEY: 'from-env', ANTHROPIC_API_KEY: 'anthropic-env' });
    store.set('OPENAI_API_KEY', KEY);
    expect(env()).toEqual({ PATH: '/bin', OPENAI_API_KEY: KEY, ANTHROPIC_API_KEY: 'anthropic-env' });
  });

  it('reports undecryptable keys by name and survives a corrupt file', () => {
    const store = new KeyStore(file, cipher, 'darwin');
    store.set('OPENAI_API_KEY', KEY);
    const reported: string[][] = [];
    const broken = new FakeSafeStorage();
    broken.decryptString = () => {
      throw new Error('keychain reset');
    };
    expect(keyEnvironment(new KeyStore(file, broken, 'darwin'), { PATH: '/bin' }, (names) => reported.push(names))()).toEqual({ PATH: '/bin' });
    expect(reported).toEqual([['OPENAI_API_KEY']]);
    writeFileSync(file, 'corrupt');
    expect(keyEnvironment(store, { PATH: '/bin' })()).toEqual({ PATH: '/bin' });
  });
});
