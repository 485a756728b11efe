/** The event hub forwards this engine's events and tails runs executed by other processes on the same database. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../shared/api';
import { Engine } from '../engine/engine';
import { SqliteStore } from '../store/sqlite-store';
import { createApiFixture, fakeKinds, finished, recordEvents, type ApiFixture } from './api-fixtures';
import { createEventHub } from './event-hub';

let fx: ApiFixture;
let other: Engine;

beforeEach(async () => {
  fx = await createApiFixture({ pollMs: 30 });
  // "Another process": its own connection and owner, as a `waymark run` in a terminal has.
  other = new Engine({ store: await SqliteStore.open(fx.dbPath), kinds: fakeKinds() });
});
afterEach(async () => {
  await other.shutdown();
  await other.store.close();
  await fx.cleanup();
});

const seqsOf = (events: ApiEvent[], runId: string) => events.flatMap((e) => ('seq' in e && e.runId === runId ? [e.seq] : []));

describe('event hub', () => {
  it('forwards the events of a run executed by another process, in order, once', async () => {
    const rec = recordEvents({ onEvent: fx.server.subscribe });
    const handle = await other.startRun({ flowFile: join(fx.root, 'hello.yaml') });
    expect((await handle.done).status).toBe('succeeded');
    await rec.until(finished(handle.runId));
    const lastSeq = (await other.store.getRun(handle.runId))?.lastSeq as number;
    await new Promise((r) => setTimeout(r, 150)); // a few more polls: nothing is sent twice
    expect(seqsOf(rec.events, handle.runId)).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
    expect(rec.events.filter((e) => e.type === 'runs.changed' && e.runId === handle.runId)).toHaveLength(1);
    rec.dispose();
  });

  it('does not repeat events of runs this process executes', async () => {
    const rec = recordEvents({ onEvent: fx.server.subscribe });
    const handle = await fx.engine.startRun({ flowFile: join(fx.root, 'hello.yaml') });
    await handle.done;
    await new Promise((r) => setTimeout(r, 150));
    const seqs = seqsOf(rec.events, handle.runId);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(rec.events.some((e) => e.type === 'phase.log')).toBe(true); // live-only events come straight from the engine
    rec.dispose();
  });

  it('continues a run resumed by another process from where clients are', async () => {
    const first = await fx.engine.startRun({ flowFile: join(fx.root, 'fails.yaml') });
    expect((await first.done).status).toBe('failed');
    const rec = recordEvents({ onEvent: fx.server.subscribe });
    const before = (await fx.store.getRun(first.runId))?.lastSeq as number;
    const resumed = await other.resumeRun({ runId: first.runId });
    expect((await resumed.done).status).toBe('succeeded');
    await rec.until(finished(first.runId));
    const after = (await fx.store.getRun(first.runId))?.lastSeq as number;
    expect(seqsOf(rec.events, first.runId)).toEqual(Array.from({ length: after - before }, (_, i) => before + i + 1));
    rec.dispose();
  });

  it('stops delivering after dispose and close', async () => {
    const hub = await createEventHub({ engine: fx.engine, pollMs: 10 });
    const got: ApiEvent[] = [];
    const dispose = hub.subscribe((e) => got.push(e));
    const kept: ApiEvent[] = [];
    hub.subscribe((e) => kept.push(e));
    hub.subscribe(() => {
      throw new Error('a broken subscriber');
    });
    dispose();
    const a = await other.startRun({ flowFile: join(fx.root, 'hello.yaml') });
    await a.done;
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual([]);
    expect(kept.some((e) => e.type === 'run.finished')).toBe(true);
    await hub.close();
    const count = kept.length;
    await (await other.startRun({ flowFile: join(fx.root, 'hello.yaml') })).done;
    await fx.engine.startRun({ flowFile: join(fx.root, 'hello.yaml') });
    await new Promise((r) => setTimeout(r, 100));
    expect(kept).toHaveLength(count);
  });

  it('reports a failing database once and keeps polling', async () => {
    const errors: string[] = [];
    const store = await SqliteStore.open(fx.dbPath);
    const engine = new Engine({ store });
    const hub = await createEventHub({ engine, pollMs: 10, onError: (m) => errors.push(m) });
    await store.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('could not follow runs of other processes');
    await hub.close();
  });
});
