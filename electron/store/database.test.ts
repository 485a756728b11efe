import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUSY_TIMEOUT_MS, openDatabase } from './database';
import { MIGRATIONS, SCHEMA_VERSION, migrate } from './migrations';
import type { Migration } from './migrations/migration';
import { SqliteStore } from './sqlite-store';
import type { NewRun, Owner } from './types';

const TABLES = ['approvals', 'events', 'phase_attempts', 'phase_logs', 'phase_processes', 'phase_results', 'run_attempts', 'run_phases', 'runs', 'transcript'];

let dir: string;
const open: { close(): unknown }[] = [];
const track = <T extends { close(): unknown }>(handle: T): T => {
  open.push(handle);
  return handle;
};

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'waymark-db-'));
});

afterEach(async () => {
  for (const handle of open.splice(0)) await handle.close();
  rmSync(dir, { recursive: true, force: true });
});

function newRun(id: string): NewRun {
  return {
    id, flowName: 'f', flowFile: null, flowSource: 'name: f\n', inputs: {},
    start: { flowName: 'f', phases: [{ id: 'p', kind: 'agent', dependsOn: [], defHash: 'h' }], reused: [], frontier: ['p'] },
  };
}

function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function tableNames(db: Database.Database): string[] {
  return (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
}

describe('openDatabase', () => {
  it('uses WAL, synchronous=FULL, foreign keys and the busy timeout', async () => {
    const db = track(openDatabase(join(dir, 'w.db')));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
  });

  it('creates every table STRICT', async () => {
    const db = track(openDatabase(join(dir, 'w.db')));
    const tables = (db.pragma('table_list') as { schema: string; name: string; type: string; strict: number }[])
      .filter((t) => t.schema === 'main' && t.type === 'table' && !t.name.startsWith('sqlite_'));
    expect(tables.map((t) => t.name).sort()).toEqual(TABLES);
    expect(tables.filter((t) => t.strict !== 1)).toEqual([]);
  });

  it('creates the folder of a new database', async () => {
    const path = join(dir, 'nested', 'deeper', 'w.db');
    track(openDatabase(path));
    expect(existsSync(path)).toBe(true);
  });

  it('migrates a new database to SCHEMA_VERSION once; reopening runs nothing again and keeps the data', async () => {
    const path = join(dir, 'w.db');
    const first = await SqliteStore.open(path);
    await first.createRun(newRun('run-1'), { id: 'o', pid: 1, host: 'h' }, 1);
    await first.close();
    const db = track(openDatabase(path));
    expect(userVersion(db)).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
    expect(migrate(db)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    expect(db.prepare('SELECT id FROM runs').all()).toEqual([{ id: 'run-1' }]);
  });

  it('refuses a database from a newer Waymark with DATABASE_TOO_NEW and leaves its file untouched', async () => {
    const path = join(dir, 'future.db');
    const future = new Database(path);
    future.exec(`CREATE TABLE things (x TEXT); INSERT INTO things VALUES ('keep me')`);
    future.pragma(`user_version = ${SCHEMA_VERSION + 3}`);
    future.close();
    const bytes = readFileSync(path);

    let error: { code?: string; message?: string } | undefined;
    try {
      track(openDatabase(path));
    } catch (err) {
      error = err as typeof error;
    }
    expect(error?.code).toBe('DATABASE_TOO_NEW');
    expect(error?.message).toContain(`schema version ${SCHEMA_VERSION + 3}`);
    expect(error?.message).toContain(path);
    await expect(SqliteStore.open(path)).rejects.toMatchObject({ code: 'DATABASE_TOO_NEW' });
    expect(readFileSync(path).equals(bytes)).toBe(true);
    expect(existsSync(`${path}-wal`)).toBe(false);
    const check = track(new Database(path, { readonly: true }));
    expect(userVersion(check)).toBe(SCHEMA_VERSION + 3);
    expect(tableNames(check)).toEqual(['things']);
  });
});

describe('migrate', () => {
  const counting = (calls: { n: number }): Migration => ({ version: 1, name: 'one', up: (db) => { calls.n += 1; db.exec('CREATE TABLE one (x INTEGER) STRICT'); } });

  it('runs each pending migration once and records user_version', async () => {
    const db = track(new Database(join(dir, 'm.db')));
    const calls = { n: 0 };
    expect(migrate(db, [counting(calls)])).toEqual({ from: 0, to: 1 });
    expect(migrate(db, [counting(calls)])).toEqual({ from: 1, to: 1 });
    expect(calls.n).toBe(1);
    expect(userVersion(db)).toBe(1);
  });

  it('rolls every pending migration back when one fails midway, leaving user_version as it was', async () => {
    const db = track(new Database(join(dir, 'm.db')));
    migrate(db, [counting({ n: 0 })]);
    db.exec('INSERT INTO one VALUES (42)');
    const two: Migration = { version: 2, name: 'two', up: (d) => d.exec('CREATE TABLE two (y TEXT) STRICT; INSERT INTO one VALUES (7)') };
    const three: Migration = {
      version: 3,
      name: 'three fails',
      up: (d) => {
        d.exec('CREATE TABLE three (z TEXT) STRICT');
        throw new Error('boom in migration 3');
      },
    };
    expect(() => migrate(db, [counting({ n: 0 }), two, three])).toThrow('boom in migration 3');
    expect(userVersion(db)).toBe(1);
    expect(tableNames(db)).toEqual(['one']);
    expect(db.prepare('SELECT x FROM one').all()).toEqual([{ x: 42 }]);
    expect(migrate(db, [counting({ n: 0 }), two])).toEqual({ from: 1, to: 2 });
    expect(tableNames(db)).toEqual(['one', 'two']);
  });

  it('rolls back a failing first migration on a new database', async () => {
    const db = track(new Database(join(dir, 'm.db')));
    const broken: Migration = { ...MIGRATIONS[0]!, up: (d) => { MIGRATIONS[0]!.up(d); throw new Error('disk full'); } };
    expect(() => migrate(db, [broken])).toThrow('disk full');
    expect(userVersion(db)).toBe(0);
    expect(tableNames(db)).toEqual([]);
  });

  it('refuses migrations that are not numbered 1, 2, 3...', async () => {
    const db = track(new Database(join(dir, 'm.db')));
    expect(() => migrate(db, [{ version: 2, name: 'gap', up: () => undefined }])).toThrow(/numbered 2, expected 1/);
    expect(userVersion(db)).toBe(0);
  });
});

describe('SqliteStore on one file', () => {
  const A: Owner = { id: 'a', pid: 1, host: 'h' };
  const B: Owner = { id: 'b', pid: 2, host: 'h' };
  const started = { type: 'phase.started', phaseId: 'p', attempt: 1, runAttempt: 1, defHash: 'h' } as const;
  const step = (index: number) => ({ type: 'transcript.appended', phaseId: 'p', index, role: 'assistant', content: { index }, usage: { inputTokens: 1, outputTokens: 1 } }) as const;

  it('passes integrity_check and foreign_key_check after a workload', async () => {
    const store = track(await SqliteStore.open(join(dir, 'w.db')));
    for (let r = 0; r < 5; r += 1) {
      const id = `run-${r}`;
      await store.createRun(newRun(id), A, 10 * r);
      await store.commit(id, A, [started, ...[0, 1, 2].map(step)], 10 * r + 1);
      if (r % 2 === 0) await store.commit(id, A, [{ type: 'phase.finished', phaseId: 'p', attempt: 1, status: 'succeeded', durationMs: 1, output: 'x'.repeat(10_000) }, { type: 'run.finished', attempt: 1, status: 'succeeded' }], 10 * r + 2);
    }
    await store.reapOrphans(() => false, 100, 1);
    await store.beginAttempt('run-1', { flowName: 'f', flowFile: null, flowSource: 'v2', restartPhase: null, start: newRun('x').start }, B, 101, () => false);
    await store.commit('run-1', B, [{ ...started, attempt: 2, runAttempt: 2 }, step(3)], 102);
    await expect(store.commit('run-1', B, [step(4), step(4)], 103)).rejects.toThrow();
    expect(await store.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(await store.pragma('foreign_key_check')).toEqual([]);
  });

  it('two connections commit interleaved, each seeing the other\'s writes', async () => {
    const path = join(dir, 'w.db');
    const one = track(await SqliteStore.open(path));
    const two = track(await SqliteStore.open(path));
    await one.createRun(newRun('run-a'), A, 1);
    await two.createRun(newRun('run-b'), B, 2);
    await one.commit('run-a', A, [started], 3);
    await two.commit('run-b', B, [started], 4);
    for (let i = 0; i < 20; i += 1) {
      await one.commit('run-a', A, [step(i)], 10 + i);
      await two.commit('run-b', B, [step(i)], 10 + i);
    }
    expect((await two.getRun('run-a'))?.lastSeq).toBe(22);
    expect((await one.getRun('run-b'))?.lastSeq).toBe(22);
    expect(await one.readTranscript('run-b', 'p', 0, 100)).toHaveLength(20);
    await expect(two.commit('run-a', B, [step(99)], 50)).rejects.toThrow(expect.objectContaining({ code: 'LEASE_LOST' }));
  });

  it('a reader on another connection is not blocked by an open write transaction (WAL)', async () => {
    const path = join(dir, 'w.db');
    const reader = track(await SqliteStore.open(path));
    await reader.createRun(newRun('run-a'), A, 1);
    const writer = track(new Database(path));
    writer.exec('BEGIN IMMEDIATE');
    writer.prepare(`UPDATE runs SET flow_name = 'changed' WHERE id = 'run-a'`).run();
    expect((await reader.getRun('run-a'))?.flowName).toBe('f');
    writer.exec('COMMIT');
    expect((await reader.getRun('run-a'))?.flowName).toBe('changed');
  });

  it('two processes committing at the same time both succeed: writers wait, never SQLITE_BUSY', async () => {
    const path = join(dir, 'w.db');
    await (await SqliteStore.open(path)).close();
    const steps = 150;
    const writers = ['run-a', 'run-b'].map((id) => writerProcess(path, id, steps));
    await Promise.all(writers.map((w) => w.ready));
    for (const w of writers) w.go();
    const [a, b] = await Promise.all(writers.map((w) => w.done));
    for (const child of [a, b]) expect(child).toMatchObject({ code: 0, stderr: '' });
    const [wa, wb] = [a, b].map((child) => JSON.parse(child?.stdout.split('\n').at(-1) ?? '{}') as { first: number; last: number });
    // The two write loops really ran at the same time, so their commits contended for the lock.
    expect(wa!.first).toBeLessThan(wb!.last);
    expect(wb!.first).toBeLessThan(wa!.last);
    const store = track(await SqliteStore.open(path));
    for (const id of ['run-a', 'run-b']) {
      expect(await store.getRun(id)).toMatchObject({ status: 'succeeded', lastSeq: steps + 3 });
      expect((await store.eventsSince(id, 0, 1_000)).map((e) => e.seq)).toEqual(Array.from({ length: steps + 3 }, (_, i) => i + 1));
      expect(await store.readTranscript(id, 'p', 0, 1_000)).toHaveLength(steps);
    }
    expect(await store.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
  }, 30_000);
});

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STORE_URL = pathToFileURL(join(ROOT, 'electron/store/sqlite-store.ts')).href;

interface Writer {
  /** Settles when the child created its run and waits for `go`. */
  ready: Promise<void>;
  go(): void;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** A separate Node process that creates one run, waits for `go`, then commits `steps` transcript entries one by one. */
function writerProcess(path: string, runId: string, steps: number): Writer {
  const script = `
    const { SqliteStore } = await import(${JSON.stringify(STORE_URL)});
    const store = await SqliteStore.open(${JSON.stringify(path)});
    const owner = { id: ${JSON.stringify(runId)}, pid: process.pid, host: 'h' };
    const plan = [{ id: 'p', kind: 'agent', dependsOn: [], defHash: 'h' }];
    await store.createRun({ id: owner.id, flowName: 'f', flowFile: null, flowSource: '', inputs: {}, start: { flowName: 'f', phases: plan, reused: [], frontier: ['p'] } }, owner, Date.now());
    process.stdout.write('ready\\n');
    await new Promise((resolve) => process.stdin.once('data', resolve));
    process.stdin.pause();
    const first = Date.now();
    await store.commit(owner.id, owner, [{ type: 'phase.started', phaseId: 'p', attempt: 1, runAttempt: 1, defHash: 'h' }], Date.now());
    for (let i = 0; i < ${steps}; i += 1) {
      await store.commit(owner.id, owner, [{ type: 'transcript.appended', phaseId: 'p', index: i, role: 'assistant', content: { i }, usage: { inputTokens: 1, outputTokens: 1 } }], Date.now());
      if (i % 10 === 0) await store.heartbeat(owner.id, owner, Date.now());
      if (i % 25 === 0) await store.reapOrphans(() => true, Date.now(), 60_000);
    }
    const last = Date.now();
    await store.commit(owner.id, owner, [{ type: 'run.finished', attempt: 1, status: 'succeeded' }], Date.now());
    await store.close();
    process.stdout.write(JSON.stringify({ first, last }));
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let signalReady = (): void => undefined;
  const ready = new Promise<void>((resolve) => (signalReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.startsWith('ready\n')) signalReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      signalReady();
      resolve({ code, stdout, stderr });
    });
  });
  return { ready, go: () => child.stdin.end('go\n'), done };
}
