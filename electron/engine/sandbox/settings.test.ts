/** What sandboxed commands must not see: the database's files, only when the database is a file. */
import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { sandboxSettings } from './settings';

describe('sandboxSettings', () => {
  it('hides a SQLite database, its folder and its WAL files, wherever --db put it', () => {
    const { hiddenPaths } = sandboxSettings({ XDG_CONFIG_HOME: '/cfg' }, '/data/team/w.db');
    expect(hiddenPaths).toEqual(expect.arrayContaining([homedir(), '/cfg/Waymark', '/data/team', '/data/team/w.db', '/data/team/w.db-wal', '/data/team/w.db-shm']));
  });

  it('a PostgreSQL URL names no file here: only the home and data folders are hidden', () => {
    const { hiddenPaths } = sandboxSettings({ XDG_CONFIG_HOME: '/cfg' }, 'postgres://team@db.example/waymark');
    expect(hiddenPaths.filter((p) => p.includes('postgres') || p.includes('db.example'))).toEqual([]);
    expect(hiddenPaths).toEqual(expect.arrayContaining(['/cfg/Waymark']));
  });
});
