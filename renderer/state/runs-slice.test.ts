/**
 * The runs list a page at a time (runs-slice.ts, commands.ts): pages load in order with
 * no gap or repeat, live changes merge into what is loaded (new runs at the top, status
 * changes of loaded runs, owners of runs beyond the newest page), and a burst of new
 * runs larger than a page starts the list over rather than leave a hole. The API is a
 * database of runs in memory answering `runs.list` exactly as the handler does: the
 * request parsed by the contract's schema, keyset paging by shared/runs-page.ts.
 */
import { describe, expect, it } from 'vitest';
import { requests, type Req, type WaymarkApi } from '../../shared/api';
import type { RunRecord } from '../../shared/records';
import { compareNewestFirst, isListedAfter, pageOf } from '../../shared/runs-page';
import { persisted, runRecord } from '../test/fixtures';
import { createCommands, RUNS_PAGE } from './commands';
import { createWaymarkStore } from './store';

const idOf = (n: number) => `run${String(n).padStart(5, '0')}`;

function database(count: number) {
  const runs: RunRecord[] = [];
  // Three runs share each instant, so pages also end inside a tie.
  const add = (n: number, over: Partial<RunRecord> = {}) => runs.push(runRecord({ id: idOf(n), createdAt: 1_000 + Math.floor(n / 3), lastSeq: 1, status: 'succeeded', ...over }));
  for (let n = 0; n < count; n++) add(n, n % 97 === 5 ? { status: 'interrupted' } : {});
  const calls: string[] = [];
  let failing = false;
  const api = {
    async 'runs.list'(raw: Req<'runs.list'>) {
      const req = requests['runs.list'].req.parse(raw);
      calls.push(`list${req.status ? ` ${req.status}` : ''}${req.before ? ` after ${req.before.id}` : ''}`);
      if (failing) throw new Error('connection lost');
      const found = runs
        .filter((r) => (!req.status || r.status === req.status) && (!req.before || isListedAfter(r, req.before)))
        .sort(compareNewestFirst)
        .slice(0, req.limit + 1);
      return structuredClone(pageOf(found, req.limit));
    },
    async 'runs.get'({ runId }: Req<'runs.get'>) {
      calls.push(`get ${runId}`);
      const run = runs.find((r) => r.id === runId);
      if (!run) throw new Error(`no run ${runId}`);
      return { run: structuredClone(run), phases: [], attempts: [], lastSeq: run.lastSeq, frontier: [], live: false };
    },
  } as unknown as WaymarkApi;
  return { runs, add, calls, api, fail: (on: boolean) => (failing = on) };
}

function setup(count: number) {
  const db = database(count);
  const store = createWaymarkStore();
  const commands = createCommands(db.api, store, { wake: () => {} });
  const ids = () => store.getState().runs.map((r) => r.id);
  const expected = () => [...db.runs].sort(compareNewestFirst).map((r) => r.id);
  return { db, store, commands, ids, expected };
}

describe('runs list paging', () => {
  it('loads the newest page, then older pages in order until the oldest run, each run once', async () => {
    const { db, store, commands, ids, expected } = setup(450);
    await commands.refreshRuns();
    expect(ids()).toEqual(expected().slice(0, RUNS_PAGE));
    expect(store.getState().runsNext).toEqual({ createdAt: 1_000 + Math.floor(250 / 3), id: idOf(250) });
    await commands.loadMoreRuns();
    await commands.loadMoreRuns();
    expect(ids()).toEqual(expected());
    expect(store.getState().runsNext).toBeNull();
    await commands.loadMoreRuns();
    expect(db.calls).toEqual(['list', 'list interrupted', `list after ${idOf(250)}`, `list after ${idOf(50)}`]);
  });

  it('asks for one older page at a time, however often the list asks', async () => {
    const { db, commands } = setup(450);
    await commands.refreshRuns();
    await Promise.all([commands.loadMoreRuns(), commands.loadMoreRuns(), commands.loadMoreRuns()]);
    expect(db.calls.filter((c) => c.includes('after'))).toEqual([`list after ${idOf(250)}`]);
  });

  it('counts every interrupted run at launch, also those beyond the first page', async () => {
    const { db, store, commands } = setup(450);
    await commands.refreshRuns();
    const interrupted = db.runs.filter((r) => r.status === 'interrupted').map((r) => r.id).sort().reverse();
    expect(interrupted.length).toBeGreaterThan(2);
    expect([...store.getState().interruptedAtLaunch].sort().reverse()).toEqual(interrupted);
    await commands.refreshRuns();
    expect(db.calls.filter((c) => c.includes('interrupted'))).toHaveLength(1);
  });

  it('new runs appear at the top and keep what is loaded below them', async () => {
    const { db, store, commands, ids, expected } = setup(450);
    await commands.refreshRuns();
    await commands.loadMoreRuns();
    db.add(450);
    db.add(451);
    await commands.refreshRuns([idOf(450), idOf(451)]);
    expect(ids().slice(0, 3)).toEqual([idOf(451), idOf(450), idOf(449)]);
    expect(ids()).toEqual(expected().slice(0, 402));
    await commands.loadMoreRuns();
    expect(ids()).toEqual(expected());
    expect(store.getState().runsNext).toBeNull();
  });

  it('applies status changes to loaded runs, beyond the newest page too, by seq', async () => {
    const { store, commands } = setup(450);
    await commands.refreshRuns();
    await commands.loadMoreRuns();
    const deep = idOf(100);
    store.getState().applyRunEvents([persisted(2, { type: 'run.started', attempt: 2, flowName: 'demo', phases: [], reused: [], frontier: [], resumed: true }, deep)]);
    expect(store.getState().runs.find((r) => r.id === deep)).toMatchObject({ status: 'running', attempt: 2, lastSeq: 2 });
    store.getState().applyRunEvents([persisted(2, { type: 'run.finished', attempt: 2, status: 'failed' }, deep)]);
    expect(store.getState().runs.find((r) => r.id === deep)?.status).toBe('running');
  });

  it('reloads a run beyond the newest page that changed hands (events carry no owner)', async () => {
    const { db, store, commands } = setup(450);
    await commands.refreshRuns();
    await commands.loadMoreRuns();
    const deep = db.runs.find((r) => r.id === idOf(100)) as RunRecord;
    Object.assign(deep, { status: 'running', lastSeq: 2, owner: { id: 'w', pid: 4242, host: 'box', heartbeatAt: 5 } });
    await commands.refreshRuns([deep.id, idOf(449), 'run99999']);
    expect(db.calls.filter((c) => c.startsWith('get'))).toEqual([`get ${deep.id}`]);
    expect(store.getState().runs.find((r) => r.id === deep.id)?.owner).toMatchObject({ pid: 4242, host: 'box' });
  });

  it('starts over from the newest page when more runs arrived than a page holds, leaving no hole', async () => {
    const { db, store, commands, ids, expected } = setup(450);
    await commands.refreshRuns();
    await commands.loadMoreRuns();
    const stale = store.getState().runsNext;
    for (let n = 450; n < 450 + RUNS_PAGE + 30; n++) db.add(n);
    await commands.refreshRuns();
    expect(ids()).toEqual(expected().slice(0, RUNS_PAGE));
    // A page asked for before the reset arrives late: it is not merged.
    if (stale) store.getState().appendOlderPage({ runs: db.runs.slice(0, 5), next: null }, stale);
    expect(ids()).toEqual(expected().slice(0, RUNS_PAGE));
    for (let i = 0; i < 5 && store.getState().runsNext; i++) await commands.loadMoreRuns();
    expect(ids()).toEqual(expected());
  });

  it('shows why an older page failed, asks again only when told to, then goes on', async () => {
    const { db, store, commands, ids, expected } = setup(250);
    await commands.refreshRuns();
    db.fail(true);
    await commands.loadMoreRuns();
    expect(store.getState()).toMatchObject({ runsMoreError: 'connection lost', runsLoadingMore: false });
    expect(ids()).toHaveLength(RUNS_PAGE);
    db.fail(false);
    await commands.loadMoreRuns();
    expect(store.getState().runsMoreError).toBeNull();
    expect(ids()).toEqual(expected());
  });
});
