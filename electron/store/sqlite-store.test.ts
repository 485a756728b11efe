import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeCheckpointStore } from './conformance';
import { OWNER, newRun } from './conformance/fixtures';
import { BUSY_TIMEOUT_MS } from './database';
import { PROCESS_ROW_BUSY_MS, SqliteStore } from './sqlite-store';

describeCheckpointStore('SqliteStore', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'waymark-store-'));
  const path = join(dir, 'waymark.db');
  const store = await SqliteStore.open(path);
  return {
    store,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
    connect: () => SqliteStore.open(path),
    // Damaged by another connection, as a disk or another program would.
    corrupt: (runId, phaseId) => {
      const db = new Database(path);
      try {
        const changed = db.prepare(`UPDATE phase_results SET output = 'damaged on disk' WHERE run_id = ? AND phase_id = ?`).run(runId, phaseId).changes;
        if (changed !== 1) throw new Error(`no saved result of ${runId}/${phaseId} to corrupt`);
      } finally {
        db.close();
      }
    },
  };
});

describe('SqliteStore process rows behind another process\'s lock', () => {
  it('fail within PROCESS_ROW_BUSY_MS instead of the busy timeout, and leave the busy timeout as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'waymark-store-'));
    const path = join(dir, 'waymark.db');
    const store = await SqliteStore.open(path);
    const locker = new Database(path);
    try {
      await store.createRun(newRun('run-1'), OWNER, 1);
      const row = { runId: 'run-1', phaseId: 'test', attempt: 1, host: 'h', pgid: 7, startTime: null, startedAt: 2 };
      locker.exec('BEGIN IMMEDIATE');
      for (const write of [() => store.recordProcess(row), () => store.forgetProcess('run-1', 'h', 7)]) {
        const t0 = Date.now();
        await expect(write()).rejects.toThrow(/database is locked/);
        expect(Date.now() - t0).toBeLessThan(PROCESS_ROW_BUSY_MS + 1_000);
      }
      expect(await store.pragma('busy_timeout')).toEqual([{ timeout: BUSY_TIMEOUT_MS }]);
      locker.exec('COMMIT');
      await store.recordProcess(row);
      expect(await store.processesOf('run-1')).toEqual([row]);
    } finally {
      locker.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
