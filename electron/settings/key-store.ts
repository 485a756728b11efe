/**
 * Provider API keys kept encrypted with the OS keychain (SPEC §5 Settings): one JSON file
 * in the user data folder holding, per environment variable name, the base64 of what
 * Electron's `safeStorage` encrypted. Never the database, never a log, never a flow file.
 *
 * This module does not import `electron`: the shell hands it `safeStorage` as a
 * `SecretCipher`. Where the OS offers no real protection — encryption unavailable, or
 * Linux falling back to safeStorage's `basic_text` (a fixed, public password) — nothing
 * is stored and `storage()` says why, so the user can use environment variables instead.
 */
import { existsSync, readFileSync } from 'node:fs';
import { WaymarkError } from '../../shared/errors';
import { writePrivateJson } from './private-json-file';

/** The part of Electron's `safeStorage` the key store uses. */
export interface SecretCipher {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only (Electron); which keyring safeStorage picked. */
  getSelectedStorageBackend?(): string;
}

export type StorageState = { kind: 'encrypted'; backend: string } | { kind: 'unavailable'; backend?: string; notice: string };

/** The file's shape; `version` lets a later Waymark change it. */
interface SecretsFile {
  version: 1;
  keys: Record<string, string>;
}

export const SECRETS_FILE = 'provider-keys.json';

/** Linux backends that do not protect the secret (basic_text uses a hardcoded password). */
const INSECURE_BACKENDS = new Set(['basic_text', 'unknown']);

const NO_KEYRING =
  'No OS keyring (GNOME Keyring/libsecret or KWallet) is available, so Waymark will not store API keys (they would only be obfuscated). Set them as environment variables, e.g. OPENAI_API_KEY, in the environment you start Waymark from.';
const NO_ENCRYPTION =
  'This system offers no secure storage for secrets, so Waymark will not store API keys. Set them as environment variables, e.g. OPENAI_API_KEY, in the environment you start Waymark from.';

export class KeyStore {
  constructor(
    private readonly file: string,
    private readonly cipher: SecretCipher,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  /** Whether keys can be stored here, and if not, what to tell the user. */
  storage(): StorageState {
    if (this.platform === 'linux') {
      const backend = this.cipher.getSelectedStorageBackend?.() ?? 'unknown';
      if (INSECURE_BACKENDS.has(backend) || !this.cipher.isEncryptionAvailable()) return { kind: 'unavailable', backend, notice: NO_KEYRING };
      return { kind: 'encrypted', backend };
    }
    if (!this.cipher.isEncryptionAvailable()) return { kind: 'unavailable', notice: NO_ENCRYPTION };
    return { kind: 'encrypted', backend: this.platform === 'darwin' ? 'keychain' : this.platform === 'win32' ? 'dpapi' : 'os' };
  }

  /** Names with a stored value (nothing is decrypted). */
  names(): string[] {
    return Object.keys(this.read().keys).sort();
  }

  /**
   * Every stored key, decrypted. Keys that cannot be decrypted (the keychain entry was
   * reset, the file was copied from another machine) are listed in `unreadable`.
   */
  readAll(): { values: Record<string, string>; unreadable: string[] } {
    const values: Record<string, string> = {};
    const unreadable: string[] = [];
    const { keys } = this.read();
    if (Object.keys(keys).length === 0) return { values, unreadable };
    if (this.storage().kind !== 'encrypted') return { values, unreadable: Object.keys(keys).sort() };
    for (const [name, encoded] of Object.entries(keys)) {
      try {
        values[name] = this.cipher.decryptString(Buffer.from(encoded, 'base64'));
      } catch {
        unreadable.push(name);
      }
    }
    return { values, unreadable: unreadable.sort() };
  }

  set(name: string, value: string): void {
    const state = this.storage();
    if (state.kind !== 'encrypted') throw new WaymarkError('USAGE', state.notice);
    const data = this.read();
    data.keys[name] = this.cipher.encryptString(value).toString('base64');
    this.write(data);
  }

  /** Removes a stored key; true when there was one. */
  clear(name: string): boolean {
    const data = this.read();
    if (!(name in data.keys)) return false;
    delete data.keys[name];
    this.write(data);
    return true;
  }

  private read(): SecretsFile {
    if (!existsSync(this.file)) return { version: 1, keys: {} };
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<SecretsFile>;
      if (parsed.version !== 1 || typeof parsed.keys !== 'object' || parsed.keys === null) throw new Error('unexpected format');
      const keys: Record<string, string> = {};
      for (const [name, value] of Object.entries(parsed.keys)) if (typeof value === 'string') keys[name] = value;
      return { version: 1, keys };
    } catch (err) {
      throw new WaymarkError('STORE_FAILED', `the API key file ${this.file} cannot be read (${(err as Error).message}); delete it and enter the keys again in Settings`);
    }
  }

  /** Atomic replace, readable by the user only. */
  private write(data: SecretsFile): void {
    writePrivateJson(this.file, data, 'the API key file');
  }
}
