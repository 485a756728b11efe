/**
 * The serve token file, in process (the real `waymark serve` processes are in
 * electron/cli/serve-command.test.ts): one private file per database, kept across
 * starts, replaced on request, and never trusted when it is damaged or readable by others.
 */
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '../testing/temp-dir';
import { chooseServeToken, databaseIdentity, saveServeToken, tokenFile, TOKENS_DIR } from './serve-token';

let dir: TempDir;
let dataDir: string;
let counter = 0;
const newToken = () => (++counter).toString(16).padStart(32, '0');

beforeEach(() => {
  dir = tempDir('waymark-serve-token-');
  dataDir = join(dir.path, 'data');
});
afterEach(() => dir.remove());

/** One server start: the token it serves with, saved as a real start does. */
function start(target: string, options: { renew?: boolean; port?: number } = {}) {
  const choice = chooseServeToken({ dataDir, target, renew: options.renew ?? false, newToken });
  const unsaved = saveServeToken(choice, options.port ?? 4100);
  return { ...choice, unsaved };
}

describe('serve token file', () => {
  it('keeps one token per database across starts, with the last port, in a file only the user may read', () => {
    const db = join(dir.path, 'a.db');
    writeFileSync(db, '');
    const first = start(db, { port: 4100 });
    expect(first).toMatchObject({ reused: false, savedPort: null, warning: null, unsaved: null });
    const second = start(db, { port: 4100 });
    expect(second).toMatchObject({ token: first.token, reused: true, savedPort: 4100 });
    expect(first.file).toBe(tokenFile(dataDir, db));
    expect(statSync(first.file as string).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, TOKENS_DIR)).mode & 0o077).toBe(0);
    expect(JSON.parse(readFileSync(first.file as string, 'utf8'))).toEqual({ version: 1, database: db, token: first.token, port: 4100 });

    // The same file by another name (relative, through a symlink) is the same database.
    symlinkSync(db, join(dir.path, 'link.db'));
    expect(start(join(dir.path, 'link.db')).token).toBe(first.token);
    expect(start(join(dir.path, '.', 'sub', '..', 'a.db')).token).toBe(first.token);
    expect(readdirSync(join(dataDir, TOKENS_DIR))).toHaveLength(1);
  });

  it('gives two databases two tokens, and a renewal replaces only that database’s', () => {
    const a = start(join(dir.path, 'a.db'));
    const b = start(join(dir.path, 'b.db'));
    expect(b.token).not.toBe(a.token);
    const renewed = start(join(dir.path, 'a.db'), { renew: true });
    expect(renewed.token).not.toBe(a.token);
    expect(renewed).toMatchObject({ reused: false, savedPort: 4100 });
    expect(start(join(dir.path, 'a.db')).token).toBe(renewed.token);
    expect(start(join(dir.path, 'b.db')).token).toBe(b.token);
  });

  it('knows a PostgreSQL database by its URL without the password; :memory: is never saved', () => {
    expect(databaseIdentity('postgresql://alice:s3cret@db.example:5432/waymark?sslmode=require&password=x')).toBe('postgres://alice@db.example:5432/waymark?sslmode=require');
    const pg = start('postgres://alice:s3cret@db.example:5432/waymark');
    expect(start('postgres://alice:other@db.example:5432/waymark').token).toBe(pg.token);
    expect(start('postgres://alice@db.example:5432/team_b').token).not.toBe(pg.token);
    expect(readFileSync(pg.file as string, 'utf8')).not.toContain('s3cret');

    const memory = start(':memory:');
    expect(memory.file).toBeNull();
    expect(start(':memory:').token).not.toBe(memory.token);
  });

  it('replaces a file it cannot trust, saying why', () => {
    const db = join(dir.path, 'a.db');
    const { file, token } = start(db);
    const path = file as string;
    const cases: [string, () => void][] = [
      ['readable by other users', () => chmodSync(path, 0o644)],
      ['not valid JSON', () => writeFileSync(path, '{"version": 1, "tok', { mode: 0o600 })],
      ['unexpected format', () => writeFileSync(path, JSON.stringify({ version: 1, database: db, token: 'short' }), { mode: 0o600 })],
      ['belongs to another database', () => writeFileSync(path, JSON.stringify({ version: 1, database: '/elsewhere.db', token }), { mode: 0o600 })],
    ];
    let last = token;
    for (const [why, damage] of cases) {
      damage();
      const next = start(db);
      expect(next.warning, why).toContain(why);
      expect(next.warning).toContain(path);
      expect(next.token).not.toBe(last);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(start(db)).toMatchObject({ token: next.token, warning: null });
      last = next.token;
    }
  });

  it('still serves when the token cannot be saved, and says what that means', () => {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, TOKENS_DIR), 'a file where the folder should be');
    const result = start(join(dir.path, 'a.db'));
    expect(result.token).toMatch(/^[0-9a-f]{32}$/);
    expect(result.unsaved).toContain('open tabs will not reconnect after a restart');
  });
});
