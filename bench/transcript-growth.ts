/**
 * Benchmark 3: transcript persistence as a phase's transcript grows. Each step is one
 * `transcript.appended` commit through the real SqliteStore (as an agent phase does it);
 * cost per step must not grow with the transcript (SPEC §3: one small append per step,
 * never a rewrite).
 *
 * Bytes written come from /proc/self/io `write_bytes` (what the kernel sends to disk for
 * this process, page granularity). Time and bytes run from the first step to after
 * `close`, so the WAL checkpoints a run eventually pays are included at every size, not
 * only at the sizes big enough to trigger auto-checkpoints. Elsewhere the growth of the
 * database plus its WAL is used instead, which misses WAL reuse.
 */
import { join } from 'node:path';
import type { RunFact } from '../shared/events';
import { newRunId } from '../electron/engine/ids';
import { processOwner } from '../electron/engine/lease';
import { SqliteStore } from '../electron/store/sqlite-store';
import type { Owner } from '../electron/store/types';
import { dbFilesBytes, medianBy, processWriteBytes, repeat, usSince, withTempDir } from './util';

export type BytesSource = '/proc/self/io write_bytes' | 'db + WAL file growth';

export interface TranscriptRow {
  steps: number;
  usPerStep: number;
  bytesPerStep: number;
  noFsyncUsPerStep: number;
  walPagesPerStep: number;
}

export interface TranscriptResult {
  rows: TranscriptRow[];
  bytesSource: BytesSource;
  contentBytes: number;
}

const PHASE = 'write_code';

/** A ~1 KB assistant turn: some reasoning text and one tool call, as the agent kind stores it. */
export function assistantMessage(step: number): unknown {
  return {
    role: 'assistant',
    content: [
      {
        type: 'text',
        text: `Step ${step}: the collector exposes connected_clients, used_memory, keyspace_hits and keyspace_misses through INFO. `
          + 'I will compute the hit ratio client-side and emit each value as a gauge; counters that reset on restart are reported as rates. '
          + 'The existing tests expect a check named redis.info, so I keep that name and add the new metrics under the same prefix.',
      },
      {
        type: 'tool-call',
        toolCallId: `call_${step.toString(36).padStart(10, '0')}`,
        toolName: 'write_file',
        input: {
          path: `checks/redis_${step % 17}.py`,
          content: 'import redis\n\n\ndef check(host: str = "127.0.0.1", port: int = 6379) -> dict:\n'
            + '    info = redis.Redis(host=host, port=port).info()\n'
            + '    hits, misses = info["keyspace_hits"], info["keyspace_misses"]\n'
            + '    return {"clients": info["connected_clients"], "memory": info["used_memory"],\n'
            + '            "hit_ratio": hits / max(1, hits + misses)}\n',
        },
      },
    ],
  };
}

function appendFact(step: number, content: unknown): RunFact {
  return { type: 'transcript.appended', phaseId: PHASE, index: step, role: 'assistant', content, usage: { inputTokens: 1_800 + step * 40, outputTokens: 260 } };
}

/** A fresh database holding one run whose one agent phase has started. */
async function openRun(dbPath: string): Promise<{ store: SqliteStore; runId: string; owner: Owner }> {
  const store = await SqliteStore.open(dbPath);
  const owner = processOwner();
  const runId = newRunId();
  const phases = [{ id: PHASE, kind: 'agent', dependsOn: [], defHash: 'bench' }];
  await store.createRun({ id: runId, flowName: 'bench-transcript', flowFile: null, flowSource: 'bench', inputs: {}, start: { flowName: 'bench-transcript', phases, reused: [], frontier: [PHASE] } }, owner, Date.now());
  await store.commit(runId, owner, [{ type: 'phase.started', phaseId: PHASE, attempt: 1, runAttempt: 1, defHash: 'bench' }], Date.now());
  return { store, runId, owner };
}

/** Grows a transcript to `steps`, timing from the first step to after close (final checkpoint included). */
async function growOnce(steps: number, useProc: boolean): Promise<{ usPerStep: number; bytesPerStep: number }> {
  return withTempDir('transcript', async (dir) => {
    const dbPath = join(dir, 'waymark.db');
    const { store, runId, owner } = await openRun(dbPath);
    try {
      const facts = Array.from({ length: steps }, (_, i) => [appendFact(i, assistantMessage(i))]);
      const bytesBefore = useProc ? (processWriteBytes() as number) : dbFilesBytes(dbPath);
      const start = performance.now();
      for (const fact of facts) await store.commit(runId, owner, fact, Date.now());
      if ((await store.readTranscript(runId, PHASE, steps - 1, 1)).length !== 1) throw new Error('transcript step missing');
      const fileBytesAfter = useProc ? 0 : dbFilesBytes(dbPath);
      await store.close();
      const us = usSince(start);
      const bytesAfter = useProc ? (processWriteBytes() as number) : fileBytesAfter;
      return { usPerStep: us / steps, bytesPerStep: (bytesAfter - bytesBefore) / steps };
    } finally {
      await store.close();
    }
  });
}

/**
 * The same growth with synchronous=OFF: the CPU and SQL side of a step, free of disk
 * latency (which dominates, and is noisy, when fsync is on). Then the WAL pages one more
 * step writes at that size, counted over a few steps with auto-checkpoint off: a figure
 * immune to noise (page counts do not depend on `synchronous`).
 */
async function growWithoutFsync(steps: number): Promise<{ usPerStep: number; walPagesPerStep: number }> {
  const probe = 20;
  return withTempDir('no-fsync', async (dir) => {
    const { store, runId, owner } = await openRun(join(dir, 'waymark.db'));
    try {
      await store.pragma('synchronous = OFF');
      const facts = Array.from({ length: steps + probe }, (_, i) => [appendFact(i, assistantMessage(i))]);
      const start = performance.now();
      for (const fact of facts.slice(0, steps)) await store.commit(runId, owner, fact, Date.now());
      const usPerStep = usSince(start) / steps;
      await store.pragma('wal_checkpoint(TRUNCATE)');
      await store.pragma('wal_autocheckpoint = 0');
      for (const fact of facts.slice(steps)) await store.commit(runId, owner, fact, Date.now());
      const [status] = (await store.pragma('wal_checkpoint(PASSIVE)')) as { log: number }[];
      return { usPerStep, walPagesPerStep: (status?.log ?? Number.NaN) / probe };
    } finally {
      await store.close();
    }
  });
}

export async function transcriptGrowth(sizes: readonly number[], reps: number): Promise<TranscriptResult> {
  const useProc = processWriteBytes() !== undefined;
  await growOnce(sizes[0] ?? 50, useProc); // warm-up
  const rows: TranscriptRow[] = [];
  for (const steps of sizes) {
    const durable = await repeat(0, reps, () => growOnce(steps, useProc));
    const noFsync = await repeat(0, reps, () => growWithoutFsync(steps));
    rows.push({
      steps,
      usPerStep: medianBy(durable, (r) => r.usPerStep),
      bytesPerStep: medianBy(durable, (r) => r.bytesPerStep),
      noFsyncUsPerStep: medianBy(noFsync, (r) => r.usPerStep),
      walPagesPerStep: medianBy(noFsync, (r) => r.walPagesPerStep),
    });
  }
  return {
    rows,
    bytesSource: useProc ? '/proc/self/io write_bytes' : 'db + WAL file growth',
    contentBytes: Buffer.byteLength(JSON.stringify(assistantMessage(1234))),
  };
}
