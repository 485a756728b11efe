/** `runs.log` through the contract: the in-memory transport over a real Engine, SqliteStore and command phases. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, type WaymarkApi } from '../../shared/api';
import { createInMemoryApi } from '../transport/in-memory';
import { createApiFixture, runToEnd as runFlowToEnd, type ApiFixture } from './api-fixtures';

let fx: ApiFixture;
let api: WaymarkApi;

beforeEach(async () => {
  fx = await createApiFixture();
  api = createInMemoryApi(fx.server);
});
afterEach(() => fx.cleanup());

const runToEnd = async (flowPath: string, inputs: Record<string, string> = {}): Promise<string> => (await runFlowToEnd(api, flowPath, inputs)).runId;

describe('runs.log', () => {
  it('answers a page of a try’s stream with its command line; no log is null', async () => {
    const runId = await runToEnd('hello.yaml', { name: "Ada's" });
    const page = await api['runs.log']({ runId, phaseId: 'greet', attempt: 1, stream: 'stdout' });
    expect(page?.commandLine).toBe(`echo Hello, 'Ada'\\''s'!`);
    expect(page?.page).toMatchObject({ stream: 'stdout', text: "Hello, Ada's!\n", start: { byte: 0, line: 0 }, next: null, startsMidLine: false });
    expect(page?.page.marks[0]?.line).toBe(0);
    const tail = await api['runs.log']({ runId, phaseId: 'greet', attempt: 1, stream: 'stderr', tail: true });
    expect(tail?.page).toMatchObject({ text: '', storedBytes: 0 });
    expect(await api['runs.log']({ runId, phaseId: 'greet', attempt: 2, stream: 'stdout' })).toBeNull();
  });

  it('refuses what is not a run, a phase id or a sensible page', async () => {
    const runId = await runToEnd('hello.yaml');
    const refused = async (p: Promise<unknown>) => (await p.then(() => null, (e: unknown) => e)) as ApiError;
    expect((await refused(api['runs.log']({ runId: 'nosuchrun0', phaseId: 'greet', attempt: 1, stream: 'stdout' }))).code).toBe('RUN_NOT_FOUND');
    for (const bad of [{ attempt: 0 }, { stream: 'stdin' }, { maxBytes: 100 }, { maxBytes: 64 * 1024 * 1024 }, { from: { byte: -1, line: 0 } }, { phaseId: '../x' }]) {
      const err = await refused(api['runs.log']({ runId, phaseId: 'greet', attempt: 1, stream: 'stdout', ...bad } as Parameters<WaymarkApi['runs.log']>[0]));
      expect(err.code, JSON.stringify(bad)).toBe('INVALID_REQUEST');
    }
  });
});
