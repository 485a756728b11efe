import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from './index';
import { migration006 } from './006-phase-logs';

let db: Database.Database;
const before = MIGRATIONS.filter((m) => m.version < migration006.version);
const upgrade = () => migrate(db, [...before, migration006]);

beforeEach(() => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, before);
  db.prepare(`INSERT INTO runs (id, flow_name, status, inputs_json, created_at, updated_at, attempt) VALUES ('run-1', 'f', 'failed', '{}', 1, 2, 1)`).run();
  db.prepare(`INSERT INTO phase_attempts (run_id, phase_id, attempt, run_attempt, def_hash, status, started_at, stdout_tail) VALUES ('run-1', 'test', 1, 1, 'h', 'failed', 1, 'tail')`).run();
});

afterEach(() => db.close());

const saveLog = (attempt: number, stream: string, text: Buffer) =>
  db.prepare(`INSERT INTO phase_logs (run_id, phase_id, attempt, stream, text, total_bytes, line_ends, marks_json) VALUES ('run-1', 'test', ?, ?, ?, ?, 0, '[]')`).run(attempt, stream, text, text.length);

describe('migration 006: phase logs', () => {
  it('upgrades a version 5 database: tries kept with their tails and no command line, no logs yet', () => {
    expect(upgrade()).toEqual({ from: 5, to: 6 });
    expect(db.prepare(`SELECT stdout_tail, command_line FROM phase_attempts`).get()).toEqual({ stdout_tail: 'tail', command_line: null });
    expect(db.prepare(`SELECT COUNT(*) AS n FROM phase_logs`).get()).toEqual({ n: 0 });
  });

  it('keeps bytes exactly, one row per stream of a try, only for tries that exist', () => {
    upgrade();
    const bytes = Buffer.from('a\u0000b\n\uFFFD\n', 'utf8');
    saveLog(1, 'stdout', bytes);
    expect((db.prepare(`SELECT text FROM phase_logs`).get() as { text: Buffer }).text.equals(bytes)).toBe(true);
    expect(() => saveLog(1, 'stdout', bytes)).toThrow(/UNIQUE/);
    expect(() => saveLog(1, 'stdin', bytes)).toThrow(/CHECK constraint failed/);
    expect(() => saveLog(2, 'stderr', bytes)).toThrow(/FOREIGN KEY/);
  });

  it('a run’s logs go with the run', () => {
    upgrade();
    saveLog(1, 'stdout', Buffer.from('x'));
    db.prepare(`DELETE FROM runs WHERE id = 'run-1'`).run();
    expect(db.prepare(`SELECT COUNT(*) AS n FROM phase_logs`).get()).toEqual({ n: 0 });
  });
});
