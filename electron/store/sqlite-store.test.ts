import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeCheckpointStore } from './conformance';
import { SqliteStore } from './sqlite-store';

describeCheckpointStore('SqliteStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'waymark-store-'));
  const store = SqliteStore.open(join(dir, 'waymark.db'));
  return {
    store,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
    corrupt: (runId, phaseId) => {
      const changed = store.db.prepare(`UPDATE phase_results SET output = 'damaged on disk' WHERE run_id = ? AND phase_id = ?`).run(runId, phaseId).changes;
      if (changed !== 1) throw new Error(`no saved result of ${runId}/${phaseId} to corrupt`);
    },
  };
});
