/**
 * Benchmark 2: a chain of `command` phases running `true` (the real command kind and a
 * durable SqliteStore) against the same number of plain sequential spawns of
 * `/bin/sh -c true`. The sides alternate within each repetition; the chain also runs
 * with synchronous=OFF, which separates the cost of the durable commits from the rest.
 */
import { spawn } from 'node:child_process';
import { defaultKinds } from '../electron/engine/kinds';
import { runFlow } from './engine-overhead';
import { loadCase } from './flows';
import { medianBy, repeat, usSince, withTempDir } from './util';

export interface CommandRow {
  commands: number;
  plainUsPerCommand: number;
  engineUsPerCommand: number;
  /** The same chain with synchronous=OFF: what is left without the fsyncs. */
  noFsyncUsPerCommand: number;
  commitsPerPhase: number;
  ratio: number;
}

function spawnTrue(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', 'true']);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`sh exited with ${code}`))));
  });
}

async function plainUsPerCommand(count: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < count; i++) await spawnTrue();
  return usSince(start) / count;
}

export async function commandVsSpawn(count: number, reps: number): Promise<CommandRow> {
  return withTempDir('command', async (dir) => {
    const loaded = loadCase({ shape: 'chain', phases: count, maxParallel: 4 }, dir, 'true');
    const results = await repeat(1, reps, async () => {
      const plain = await plainUsPerCommand(count);
      const engine = await runFlow(loaded, 'durable', defaultKinds());
      const noFsync = await runFlow(loaded, 'no-fsync', defaultKinds());
      return { plain, engine: engine.usPerPhase, noFsync: noFsync.usPerPhase, commits: engine.commitsPerPhase, ratio: engine.usPerPhase / plain };
    });
    return {
      commands: count,
      plainUsPerCommand: medianBy(results, (r) => r.plain),
      engineUsPerCommand: medianBy(results, (r) => r.engine),
      noFsyncUsPerCommand: medianBy(results, (r) => r.noFsync),
      commitsPerPhase: medianBy(results, (r) => r.commits),
      ratio: medianBy(results, (r) => r.ratio),
    };
  });
}
