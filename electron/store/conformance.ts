/**
 * The checkpoint-store conformance suite (STYLE rule 9): every `CheckpointStore`
 * implementation runs it and must pass it identically. A behaviour one implementation
 * has and the other lacks is a bug in one of them; add the case here, not beside one store.
 *
 * Usage, in `<impl>.test.ts`:
 *   describeCheckpointStore('SqliteStore', () => ({ store, cleanup, corrupt }));
 */
import { afterEach, beforeEach, describe } from 'vitest';
import { approvalSection } from './conformance/approvals';
import { cancelSection } from './conformance/cancel';
import { atomicitySection } from './conformance/atomicity';
import { commitSection } from './conformance/commits';
import { costSection } from './conformance/costs';
import { clock, type Ctx, type StoreHarness } from './conformance/fixtures';
import { historySection } from './conformance/history';
import { leaseSection } from './conformance/leases';
import { logSection } from './conformance/logs';
import { processSection } from './conformance/processes';
import { queueSection } from './conformance/queue';
import { replaySection } from './conformance/replay';
import { resumeSection } from './conformance/resume';
import { runSection } from './conformance/runs';
import { transcriptSection } from './conformance/transcripts';

export type { StoreHarness };

export function describeCheckpointStore(name: string, create: () => StoreHarness | Promise<StoreHarness>): void {
  describe(`CheckpointStore conformance: ${name}`, () => {
    let harness: StoreHarness | undefined;
    let ctx: Ctx | undefined;

    beforeEach(async () => {
      const h = await create();
      harness = h;
      ctx = { store: h.store, corrupt: (runId, phaseId) => h.corrupt(runId, phaseId), ...(h.connect ? { connect: h.connect } : {}), ...clock() };
    });

    afterEach(async () => {
      await harness?.store.close();
      await harness?.cleanup?.();
      harness = undefined;
      ctx = undefined;
    });

    const get = (): Ctx => {
      if (!ctx) throw new Error('the conformance context exists only inside a test');
      return ctx;
    };

    describe('runs', () => runSection(get));
    describe('commit', () => commitSection(get));
    describe('all or nothing', () => atomicitySection(get));
    describe('leases', () => leaseSection(get));
    describe('process groups', () => processSection(get));
    describe('resume', () => resumeSection(get));
    describe('transcript and usage', () => transcriptSection(get));
    describe('cost and budgets', () => costSection(get));
    describe('snapshot plus events', () => replaySection(get));
    describe('queue', () => queueSection(get));
    describe('approvals and waiting', () => approvalSection(get));
    describe('cancelling runs no process executes', () => cancelSection(get));
    describe('whole logs', () => logSection(get));
    describe('history: tries, timings, reruns', () => historySection(get));
  });
}
