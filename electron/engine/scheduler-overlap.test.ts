/**
 * A phase starts while the commit of its predecessor's success is still in flight
 * (scheduler.ts, `step`), and that is safe: nothing is shown before the commit resolves,
 * neither the predecessor's success nor the new phase's start nor its output, and the
 * events keep their order. The store's commit is held open by the test until the next
 * phase has demonstrably run.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PersistedEvent, RunEvent, RunFact } from '../../shared/events';
import { MemoryStore } from '../store/memory-store';
import type { Owner } from '../store/types';
import { tempDir, waitFor, type TempDir } from '../testing/temp-dir';
import { Engine } from './engine';

/** A store whose commits containing `phase.started` of `phaseId` wait for `release()`. */
class HeldStore extends MemoryStore {
  private opened!: () => void;
  readonly released = new Promise<void>((resolve) => (this.opened = resolve));
  held = false;

  constructor(private readonly phaseId: string) {
    super();
  }

  release(): void {
    this.opened();
  }

  override async commit(runId: string, owner: Owner, facts: RunFact[], now: number): Promise<PersistedEvent[]> {
    if (facts.some((f) => f.type === 'phase.started' && f.phaseId === this.phaseId)) {
      this.held = true;
      await this.released;
    }
    return super.commit(runId, owner, facts, now);
  }
}

let dir: TempDir;
beforeEach(() => {
  dir = tempDir('waymark-overlap-');
});
afterEach(() => dir.remove());

describe('command phases overlap their spawn with the previous commit', () => {
  it('runs the next phase before its predecessor\'s success is durable, and shows nothing of either before', async () => {
    const store = new HeldStore('b');
    const engine = new Engine({ store });
    const events: RunEvent[] = [];
    engine.onEvent((e) => events.push(e));
    const flow = dir.file('f.yaml', 'name: f\nphases:\n  - { id: a, kind: command, run: "echo A" }\n  - { id: b, kind: command, depends_on: [a], run: "echo B-out; touch b.ran" }\n');
    const handle = await engine.startRun({ flowFile: flow });
    await waitFor(() => existsSync(join(dir.path, 'b.ran')), 10_000, 'phase b to run');
    // b ran; the commit of [a succeeded, b started] is still held, so neither is shown, nor b's output.
    expect(store.held).toBe(true);
    const shown = () => events.filter((e) => 'phaseId' in e && (e.phaseId === 'b' || e.type === 'phase.finished')).map((e) => `${e.type} ${'phaseId' in e ? e.phaseId : ''}`);
    expect(shown()).toEqual([]);
    store.release();
    expect((await handle.done).status).toBe('succeeded');
    expect(shown()).toEqual(['phase.finished a', 'phase.started b', 'phase.log b', 'phase.finished b']);
    expect((await store.getPhases(handle.runId)).map((p) => [p.phaseId, p.status, p.output])).toEqual([['a', 'succeeded', 'A'], ['b', 'succeeded', 'B-out']]);
  });
});
