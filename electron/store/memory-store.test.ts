import { describeCheckpointStore } from './conformance';
import { MemoryStore } from './memory-store';

describeCheckpointStore('MemoryStore', () => {
  const store = new MemoryStore();
  return { store, corrupt: (runId, phaseId) => store.corruptResultForTest(runId, phaseId, 'damaged on disk') };
});
