/**
 * Benchmark 1: engine overhead per phase. Flows of no-op phases (a `command` kind whose
 * execute returns at once) run through the real Engine and SqliteStore; wall time from
 * startLoaded to `done`, per phase, compared with one bare durable commit measured
 * around each repetition (half before, half after, so disk drift hits both sides alike).
 * A counted (not timed) pass gives the WAL pages each phase writes; a bare commit writes 1.
 *
 * Two diagnostic columns split the cost: the same run with synchronous=OFF (SQL and
 * engine CPU, no fsync) and with a store whose commit does nothing (engine CPU alone).
 */
import { join } from 'node:path';
import { Engine } from '../electron/engine/engine';
import type { LoadedFlow } from '../electron/engine/flow-file';
import { register } from '../electron/engine/kinds';
import type { PhaseKindModule } from '../electron/engine/phase-kind';
import { MemoryStore } from '../electron/store/memory-store';
import { SqliteStore } from '../electron/store/sqlite-store';
import type { CheckpointStore } from '../electron/store/types';
import type { PersistedEvent } from '../shared/events';
import { bareCommitUs } from './bare-commit';
import { countCommits, loadCase, type FlowCase } from './flows';
import { collectingWarnings, medianBy, repeat, usSince, withTempDir } from './util';

/**
 * durable: the normal open path. no-fsync: synchronous=OFF. engine-only: commits dropped.
 * wal-count: synchronous=OFF and auto-checkpoint off, to count the WAL pages a run writes.
 */
export type StoreMode = 'durable' | 'no-fsync' | 'engine-only' | 'wal-count';

export interface FlowRun {
  usPerPhase: number;
  commitsPerPhase: number;
  /** Only for `wal-count`. */
  walPagesPerPhase?: number;
}

export interface EngineRow extends FlowCase {
  loadUsPerPhase: number;
  usPerPhase: number;
  commitsPerPhase: number;
  walPagesPerPhase: number;
  bareUsPerCommit: number;
  /** Median over repetitions of (µs per phase / paired bare µs per commit). */
  ratio: number;
  noFsyncUsPerPhase: number;
  engineOnlyUsPerPhase: number;
  /** Process warnings raised while the case ran (printed once, not per run). */
  warnings: string[];
}

export interface EngineOptions {
  reps: number;
  /** Commits in each bare-commit reference batch. */
  bareCommits: number;
}

const noopKind: PhaseKindModule<'command'> = {
  kind: 'command',
  execute: async () => ({ output: '' }),
};

function noopKinds(): Map<string, PhaseKindModule> {
  const kinds = new Map<string, PhaseKindModule>();
  register(kinds, noopKind);
  return kinds;
}

/** Keeps runs in memory but drops every commit: what is left of a run's cost is the engine's. */
class CommitlessStore extends MemoryStore {
  override async commit(): Promise<PersistedEvent[]> {
    return [];
  }
}

async function openStore(mode: StoreMode, dir: string): Promise<CheckpointStore> {
  if (mode === 'engine-only') return new CommitlessStore();
  const store = await SqliteStore.open(join(dir, 'waymark.db'));
  // On the store's writer connection, where the commits happen.
  if (mode !== 'durable') await store.pragma('synchronous = OFF');
  if (mode === 'wal-count') {
    await store.pragma('wal_checkpoint(TRUNCATE)');
    await store.pragma('wal_autocheckpoint = 0');
  }
  return store;
}

/** Frames in the WAL since it was last reset (only meaningful with auto-checkpoint off). */
async function walFrames(store: CheckpointStore): Promise<number> {
  if (!(store instanceof SqliteStore)) return Number.NaN;
  const [status] = (await store.pragma('wal_checkpoint(PASSIVE)')) as { log: number }[];
  return status?.log ?? Number.NaN;
}

/** One run of the flow on a fresh store; µs per phase and commits per phase. */
export async function runFlow(loaded: LoadedFlow, mode: StoreMode, kinds: Map<string, PhaseKindModule> = noopKinds()): Promise<FlowRun> {
  return withTempDir('engine', async (dir) => {
    const raw = await openStore(mode, dir);
    const { store, commits } = countCommits(raw);
    try {
      const engine = new Engine({ store, kinds });
      const start = performance.now();
      const outcome = await (await engine.startLoaded(loaded, {})).done;
      const us = usSince(start);
      if (outcome.status !== 'succeeded') throw new Error(`benchmark run ${outcome.status}: ${outcome.error?.message ?? ''}`);
      const phases = loaded.flow.phases.length;
      return { usPerPhase: us / phases, commitsPerPhase: commits() / phases, ...(mode === 'wal-count' ? { walPagesPerPhase: (await walFrames(raw)) / phases } : {}) };
    } finally {
      await store.close();
    }
  });
}

async function measureCase(c: FlowCase, options: EngineOptions): Promise<EngineRow> {
  const { result, warnings } = await collectingWarnings(() => measureRuns(c, options));
  return { ...result, warnings };
}

async function measureRuns(c: FlowCase, options: EngineOptions): Promise<Omit<EngineRow, 'warnings'>> {
  return withTempDir('flow', async (dir) => {
    loadCase(c, dir); // warm-up: the first load pays for JIT and module initialisation
    const loadStart = performance.now();
    const loaded = loadCase(c, dir);
    const loadUsPerPhase = usSince(loadStart) / c.phases;
    const half = Math.ceil(options.bareCommits / 2);
    const durable = await repeat(1, options.reps, async () => {
      // Half the reference batch just before the run and half just after: both sides see the same disk.
      const before = await bareCommitUs(half);
      const run = await runFlow(loaded, 'durable');
      const bare = (before + (await bareCommitUs(half))) / 2;
      return { ...run, bare, ratio: run.usPerPhase / bare };
    });
    const walCount = await runFlow(loaded, 'wal-count');
    const noFsync = await repeat(1, options.reps, () => runFlow(loaded, 'no-fsync'));
    const engineOnly = await repeat(1, options.reps, () => runFlow(loaded, 'engine-only'));
    return {
      ...c,
      loadUsPerPhase,
      usPerPhase: medianBy(durable, (r) => r.usPerPhase),
      commitsPerPhase: medianBy(durable, (r) => r.commitsPerPhase),
      walPagesPerPhase: walCount.walPagesPerPhase ?? Number.NaN,
      bareUsPerCommit: medianBy(durable, (r) => r.bare),
      ratio: medianBy(durable, (r) => r.ratio),
      noFsyncUsPerPhase: medianBy(noFsync, (r) => r.usPerPhase),
      engineOnlyUsPerPhase: medianBy(engineOnly, (r) => r.usPerPhase),
    };
  });
}

export const ENGINE_CASES: readonly FlowCase[] = [
  { shape: 'chain', phases: 100, maxParallel: 4 },
  { shape: 'chain', phases: 1000, maxParallel: 4 },
  { shape: 'fan-out', phases: 100, maxParallel: 4 },
  { shape: 'fan-out', phases: 1000, maxParallel: 4 },
  { shape: 'fan-out', phases: 100, maxParallel: 64 },
  { shape: 'fan-out', phases: 1000, maxParallel: 64 },
];

export async function engineOverhead(options: EngineOptions, cases: readonly FlowCase[] = ENGINE_CASES): Promise<EngineRow[]> {
  const rows: EngineRow[] = [];
  for (const c of cases) rows.push(await measureCase(c, options));
  return rows;
}
